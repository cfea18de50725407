import ArgumentParser
import Delivery
import Environments
import Foundation
import YAML

/// `tripgen render --env NAME`: every object the environment would apply, exactly as the engine
/// applies it.
struct RenderCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Print every object an environment would apply, as the engine would apply it.",
    discussion: """
      The environment's charts are rendered with its values, every object gets the environment's \
      namespace and tracking marks, and each service image is bound to its source-addressed tag \
      at the revision (from the Git tree ids of its source paths) and pinned by digest when the \
      environment's registry or OCI layout has that tag; images not built yet are referenced by \
      tag, which is said on standard error. HEAD is rendered unless --revision names another \
      commit; --local renders the working tree, with the tags of HEAD (uncommitted changes to an \
      image's sources are said on standard error). With --output-dir, one file per object is \
      written to the directory instead.
      """)

  @OptionGroup var environment: EnvironmentOptions
  @OptionGroup var images: ImageOptions

  @Option(
    name: .customLong("output-dir"),
    help: ArgumentHelp("Write one file per object into this directory.", valueName: "dir"))
  var outputDir: String?

  /// `-o DIR`, the old spelling of `--output-dir` (in every other verb `-o` is the output format).
  @Option(name: .customShort("o"), help: .hidden)
  var oldOutputDir: String?

  /// The directory to write the objects into, if any.
  var outputDirectory: String? { outputDir ?? oldOutputDir }

  func validate() throws {
    // `-o json` (the other verbs' format option) must not quietly make a directory named json.
    if let oldOutputDir, Self.formatNames.contains(oldOutputDir) {
      throw ValidationError(
        "render prints YAML and has no output format; -o \(oldOutputDir) is not a directory: give "
          + "--output-dir DIR for one file per object")
    }
    try OldSpelling.check(
      "-o", given: oldOutputDir != nil, new: "--output-dir", newGiven: outputDir != nil)
  }

  /// The values of the other verbs' `-o/--output`.
  static let formatNames: Set<String> = ["text", "table", "json", "yaml", "name"]

  func run() async throws {
    let source = try await environment.source()
    let revision = try await environment.resolve(in: source)
    let (loaded, files) = try await source.files(of: environment.name, at: revision)
    let provider = images.provider(for: source)
    let bindings = try await provider.bindings(for: loaded, at: revision)
    if revision.isWorkingTree, let root = source.workingTree {
      let changes = try await ImageResolver(repository: source.repository, store: nil)
        .uncommittedChanges(for: loaded, at: revision.tagCommit, workingDirectory: root)
      for image in loaded.spec.images {
        guard let paths = changes[image.name] else { continue }
        standardError(
          "note: \(image.name): uncommitted changes in \(paths.joined(separator: ", ")); its tag is "
            + "that of HEAD \(revision.tagCommit.short), not of the working tree")
      }
    }
    for binding in bindings {
      standardError(
        binding.digest == nil
          ? "image \(binding.name): \(binding.reference) (by tag: "
            + (images.offline ? "not looked up" : "not in the registry yet") + ")"
          : "image \(binding.name): \(binding.reference) (tag \(binding.tag))")
    }
    let state = try await Delivery(source: source, images: provider).render(
      loaded, files: files, at: revision, images: bindings)
    if let outputDirectory {
      try write(state, to: outputDirectory)
    } else {
      FileHandle.standardOutput.write(Data(Self.documents(state.objects).utf8))
    }
  }

  /// The objects as one YAML stream, each headed by its template, as `helm template` prints them.
  static func documents(_ objects: [RenderedObject]) -> String {
    objects.map { "---\n# Source: \($0.source)\n" + YAML.dump($0.object) }.joined()
  }

  /// `deployment.apps_tripgen-dev_user-service.yaml`: kind, group, namespace and name, so the
  /// names are stable from one render to the next and a diff shows what changed.
  static func fileName(_ key: ObjectKey) -> String {
    let kind = key.kind.lowercased() + (key.group.isEmpty ? "" : "." + key.group)
    return [kind, key.namespace, key.name].filter { !$0.isEmpty }.joined(separator: "_") + ".yaml"
  }

  private func write(_ state: DesiredState, to directory: String) throws {
    let manager = FileManager.default
    try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // An object that left the desired state must leave the directory too (a reviewer's diff, a
    // hydrated branch); only files an earlier render wrote (headed `# Source:`) are removed.
    let wanted = Set(state.objects.map { Self.fileName($0.key) })
    for name in try manager.contentsOfDirectory(atPath: directory)
    where name.hasSuffix(".yaml") && !wanted.contains(name) {
      let path = directory + "/" + name
      if let handle = FileHandle(forReadingAtPath: path) {
        let head = (try? handle.read(upToCount: 10)) ?? nil
        try? handle.close()
        if head == Data("# Source: ".utf8) { try manager.removeItem(atPath: path) }
      }
    }
    for object in state.objects {
      let path = directory + "/" + Self.fileName(object.key)
      try ("# Source: \(object.source)\n" + YAML.dump(object.object)).write(
        toFile: path, atomically: true, encoding: .utf8)
    }
    standardError("wrote \(state.objects.count) objects to \(directory)")
  }
}
