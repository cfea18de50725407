import ArgumentParser
import Foundation
import Git
import OCI
import Registry

/// `tripgen image build PRODUCT --to oci:DIR:TAG`: builds a SwiftPM executable product in release mode
/// with the Swift standard library linked statically and writes an image of it into an OCI layout.
struct ImageBuildCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract: "Build a SwiftPM executable product into an OCI image.",
    discussion: """
      Runs `swift build -c release --product PRODUCT --static-swift-stdlib`, then writes the image: \
      the base layers, a layer with /app/PRODUCT and its resource bundles, and a config that runs \
      /app/PRODUCT as user 65532. The same commit gives the same digests: the creation time is the \
      commit time (--source-date-epoch, else SOURCE_DATE_EPOCH, else the last commit's time).
      """)

  @Argument(help: "The executable product of the package to build.")
  var product: String

  @Option(
    help:
      "Where to write the image: oci:DIR:TAG (an OCI image layout directory) or REGISTRY/REPO:TAG (built into a temporary layout, then pushed)."
  )
  var to: String

  @OptionGroup var registry: ImageRegistryOptions

  @Option(
    help:
      "host-runtime (the build machine's loader and libraries), scratch, oci:DIR:TAG, or an image in a registry: REGISTRY/REPO:TAG or REGISTRY/REPO@sha256:... (an index is resolved to this machine's platform)."
  )
  var base = "host-runtime"

  @Option(
    help:
      "Where base images pulled from a registry are kept (an OCI layout; default: $XDG_CACHE_HOME/tripgen/bases or ~/.cache/tripgen/bases)."
  )
  var baseCache: String?

  @Option(name: .customLong("port"), help: "A port to expose, e.g. 8080 or 53/udp (repeatable).")
  var ports: [String] = []

  @Option(name: .customLong("env"), help: "An environment variable KEY=VALUE (repeatable).")
  var environment: [String] = []

  @Option(
    help: "The creation time, in seconds since 1970 (default: SOURCE_DATE_EPOCH or the commit's).")
  var sourceDateEpoch: Int?

  @Option(help: "The org.opencontainers.image.revision label (default: the commit of HEAD).")
  var revision: String?

  @Option(help: "The org.opencontainers.image.source label: the repository URL.")
  var source: String?

  @Option(help: "The package directory.")
  var packagePath = "."

  @Option(
    name: .customLong("source-path"),
    help:
      "A path (from the repository root) the image is built from (repeatable): the image is also tagged src-<hash of the paths' Git object ids at HEAD, the base (with its digest when it is an image) and the product>."
  )
  var sourcePaths: [String] = []

  @Option(
    name: .customLong("repo"),
    help: ArgumentHelp(
      "The local checkout --source-path is read from (default: the package directory).",
      valueName: "path"))
  var repo: String?

  /// `--source-repository`, the old spelling of `--repo`.
  @Option(name: .customLong("source-repository"), help: .hidden)
  var oldSourceRepository: String?

  /// The checkout the source paths are read from.
  var sourceRepository: String { repo ?? oldSourceRepository ?? packagePath }

  @Flag(
    help:
      "With --source-path: build and push nothing when the destination already has the source-addressed tag."
  )
  var skipExisting = false

  @Option(
    name: .shortAndLong,
    help: "Output format: text (progress lines) or json (digests and sizes on standard output).")
  var output: OutputFormat = .text

  enum OutputFormat: String, ExpressibleByArgument {
    case text
    case json
  }

  func validate() throws {
    try OldSpelling.check(
      "--source-repository", given: oldSourceRepository != nil, new: "--repo",
      newGiven: repo != nil)
    if skipExisting && sourcePaths.isEmpty {
      throw ValidationError("--skip-existing needs --source-path (the tag to look for)")
    }
    for setting in environment where !setting.contains("=") || setting.hasPrefix("=") {
      throw ValidationError("--env \(setting): expected KEY=VALUE")
    }
    for port in ports {
      _ = try Self.exposedPort(port)
    }
  }

  func run() async throws {
    let destination: LayoutReference
    var pushTarget: RegistryReference?
    var temporaryLayout: String?
    switch try ImageReference(parsing: to) {
    case .layout(let layout): destination = layout
    case .registry(let reference):
      let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("tripgen-image-\(UUID().uuidString)").path
      temporaryLayout = directory
      pushTarget = reference
      destination = try LayoutReference(path: directory, tag: reference.tag ?? "latest")
    }
    defer {
      if let temporaryLayout { try? FileManager.default.removeItem(atPath: temporaryLayout) }
    }
    let format = output
    let display = ImageOutput.display(for: format)
    let progress: @Sendable (String) -> Void = { display.line($0) }
    let sourceTag = try await self.sourceTag()
    if let sourceTag, skipExisting,
      let existing = try await existingDigest(
        tag: sourceTag, layout: pushTarget == nil ? destination : nil, registry: pushTarget,
        progress: progress)
    {
      progress("\(to) already has \(sourceTag) (\(existing)): nothing to build")
      if format == .json {
        try ImageOutput.printJSON(
          ImageBuildSkipReport(reference: to, sourceTag: sourceTag, digest: existing.description))
      }
      return
    }
    // Fail before a long build when the base cannot be had: pull it, or check its layout and tag.
    let (base, baseRepository) = try await resolveBase(progress: progress)
    if case .layout(let reference) = base { _ = try await BaseImage.load(reference) }
    let packagePath = packagePath
    let creationTime = try await SourceDate.resolve(
      explicit: sourceDateEpoch, environment: ProcessInfo.processInfo.environment,
      directory: packagePath)
    let revision: String?
    if let given = self.revision {
      revision = given
    } else {
      revision = await SourceDate.revision(directory: packagePath)
    }

    progress("building \(product) (release, static Swift standard library)")
    let built = try await SwiftProductBuilder(packageDirectory: packagePath).build(product) {
      progress("  " + $0)
    }
    let size =
      (try? FileManager.default.attributesOfItem(atPath: built.executable)[.size] as? Int) ?? 0
    progress("built \(built.executable) (\(size) bytes)")
    for bundle in built.resourceBundles { progress("resource bundle \(bundle)") }

    let request = ImageRequest(
      product: product, executable: built.executable, resourceBundles: built.resourceBundles,
      base: base, destination: destination,
      exposedPorts: try (ports.isEmpty ? ["8080"] : ports).map(Self.exposedPort),
      environment: environment, creationTime: creationTime, revision: revision, source: source)
    let image = try await ImageAssembler.assemble(request, progress: progress)
    if let sourceTag {
      try ImageLayout.open(at: destination.path).tag(image.manifest, as: sourceTag)
      progress("tagged \(sourceTag)")
    }
    var report = ImageBuildReport(image)
    if let pushTarget {
      progress("built \(image.manifest.digest)")
      // Layers of a base from the same registry are mounted from its repository, not uploaded.
      let mountFrom =
        baseRepository.flatMap { $0.registry == pushTarget.registry ? [$0.repository] : nil }
        ?? []
      report.push = try await registry.push(
        destination, to: pushTarget, extraMountSources: mountFrom,
        extraTags: sourceTag.map { [$0] } ?? [], progress: progress, events: display.event)
      display.finish()
      report.reference = pushTarget.description
    }
    if format == .json {
      try ImageOutput.printJSON(report)
    } else if let push = report.push {
      progress("pushed \(push.repository)@\(push.manifestDigest)")
    } else {
      progress("wrote \(image.reference) \(image.manifest.digest)")
    }
  }

  /// The source-addressed tag of `--source-path` at HEAD, or nil without the option.
  func sourceTag() async throws -> String? {
    guard !sourcePaths.isEmpty else { return nil }
    let repository = try await GitRepository.open(at: sourceRepository)
    let head = try await repository.resolve("HEAD")
    var sources: [SourceAddressedTag.Source] = []
    for path in sourcePaths {
      let id = try await repository.objectID(at: path, in: head.id)
      sources.append(SourceAddressedTag.Source(path: path, objectID: id.hex))
    }
    return try SourceAddressedTag(
      sources: sources, base: try await pinnedBaseName(), product: product
    ).tag
  }

  /// The base's name for the source-addressed tag: an image in a registry or a layout is named
  /// with its manifest digest too, so that a tag that moves to a new base makes a new source tag.
  /// `host-runtime` and `scratch` stand as they are.
  func pinnedBaseName() async throws -> String {
    if base == "host-runtime" || base == "scratch" { return base }
    switch try ImageReference(parsing: base) {
    case .layout(let reference):
      let digest = try ImageLayout.open(at: reference.path).manifestDescriptor(tag: reference.tag)
        .digest
      return "\(reference)@\(digest)"
    case .registry(let reference):
      if reference.digest != nil { return reference.description }
      let client = try await registry.client(for: reference.registry) { _ in }
      guard
        let digest = try await client.manifestDigest(
          repository: reference.repository, reference: reference.tag ?? "latest")
      else {
        throw ValidationError("--base \(base): \(reference) does not exist in the registry")
      }
      return "\(reference)@\(digest)"
    }
  }

  /// The digest `tag` has at the destination (a layout or a registry repository), if any.
  func existingDigest(
    tag: String, layout: LayoutReference?, registry target: RegistryReference?,
    progress: @escaping @Sendable (String) -> Void
  ) async throws -> Digest? {
    if let target {
      let client = try await registry.client(for: target.registry, progress: progress)
      return try await client.manifestDigest(repository: target.repository, reference: tag)
    }
    guard let layout, FileManager.default.fileExists(atPath: layout.path + "/oci-layout") else {
      return nil
    }
    return try ImageLayout.open(at: layout.path).manifestDigest(tag: tag)
  }

  /// The base to build on. A registry reference is pulled into the base cache (a layout) first;
  /// its registry and repository are returned too, for mounting its layers when pushing.
  func resolveBase(progress: @escaping @Sendable (String) -> Void) async throws -> (
    BaseImageSource, RegistryReference?
  ) {
    if base == "host-runtime" || base == "scratch" || base.hasPrefix("oci:") {
      return (try BaseImageSource(parsing: base), nil)
    }
    guard case .registry(let reference) = try ImageReference(parsing: base) else {
      return (try BaseImageSource(parsing: base), nil)
    }
    let environment = ProcessInfo.processInfo.environment
    let cache =
      baseCache
      ?? ((environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
        ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache") + "/tripgen/bases")
    progress("pulling base \(reference) into oci:\(cache)")
    let client = try await registry.client(for: reference.registry, progress: progress)
    let pulled = try await BaseImagePuller(client: client).pull(
      reference, into: cache, progress: progress)
    return (.layout(pulled.layout), reference)
  }

  /// `8080` → `8080/tcp`; `53/udp` stays.
  static func exposedPort(_ text: String) throws -> String {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let number = Int(parts[0]), (1...65535).contains(number),
      parts.count == 1 || ["tcp", "udp", "sctp"].contains(parts[1])
    else {
      throw ValidationError(
        "--port \(text): expected a port 1-65535, optionally /tcp, /udp or /sctp")
    }
    return parts.count == 1 ? "\(number)/tcp" : "\(number)/\(parts[1])"
  }
}

/// What `--output json` prints when `--skip-existing` found the source-addressed tag.
struct ImageBuildSkipReport: Encodable {
  var reference: String
  var sourceTag: String
  var digest: String
  var skipped = true
}

/// What `--output json` prints.
struct ImageBuildReport: Encodable {
  struct Blob: Encodable {
    var mediaType: String
    var digest: String
    var size: Int
    var diffID: String?
  }
  var reference: String
  var manifest: Blob
  var config: Blob
  var layers: [Blob]
  /// What the push did, when `--to` named a registry.
  var push: PushReport?

  init(_ image: BuiltImage) {
    reference = image.reference.description
    manifest = Blob(
      mediaType: image.manifest.mediaType, digest: image.manifest.digest.description,
      size: image.manifest.size)
    config = Blob(
      mediaType: image.config.mediaType, digest: image.config.digest.description,
      size: image.config.size)
    layers = image.layers.map {
      Blob(
        mediaType: $0.descriptor.mediaType, digest: $0.descriptor.digest.description,
        size: $0.descriptor.size, diffID: $0.diffID.description)
    }
  }
}
