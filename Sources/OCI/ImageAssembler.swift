import Blocking
import Foundation

/// Assembles an image from a built executable: the base layers, the application layer, the config and
/// the manifest, written into an OCI layout and tagged. Layers get modification time 0 so that only
/// the config (its `created` time and labels) changes with the commit time; unchanged files keep their
/// layer digests from commit to commit.
public enum ImageAssembler {
  /// PATH when the base sets none: the usual Debian one.
  public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

  /// Writes the image described by `request` and tags it. Progress arrives as plain lines.
  public static func assemble(
    _ request: ImageRequest, progress: @escaping @Sendable (String) -> Void = { _ in }
  ) async throws(OCIError) -> BuiltImage {
    try await offPool { () throws(OCIError) in try assembleBlocking(request, progress: progress)
    }
  }

  /// The blocking form of `assemble`, for callers already off the cooperative pool.
  public static func assembleBlocking(
    _ request: ImageRequest, progress: (String) -> Void = { _ in }
  ) throws(OCIError) -> BuiltImage {
    let layout = try ImageLayout.create(at: request.destination.path)
    let base = try resolveBase(request, into: layout, progress: progress)
    var layers = base.layers.map(normalizedMediaType)
    var history = base.history

    var appEntries: [LayerEntry] = [
      .directory("/app"),
      .file("/app/\(request.product)", from: request.executable, mode: 0o755),
    ]
    for bundle in request.resourceBundles {
      let name = (bundle as NSString).lastPathComponent
      appEntries += try ResourceBundles.entries(copying: bundle, to: "/app/\(name)")
    }
    progress("writing the application layer (/app/\(request.product))")
    let appLayer = try LayerWriter.write(
      appEntries, modificationTime: 0, compressionLevel: request.compressionLevel, into: layout)
    progress(describe(appLayer))
    layers.append(appLayer)
    let created = rfc3339(request.creationTime)
    history.append(
      HistoryEntry(created: created, createdBy: "tripgen image build \(request.product)"))

    let configuration = ImageConfiguration(
      created: created, platform: request.platform,
      config: runtimeConfiguration(request, base: base.configuration?.config),
      diffIDs: layers.map(\.diffID), history: history)
    let config = try layout.writeBlob(
      try CanonicalJSON.encode(configuration), mediaType: MediaType.imageConfig)
    progress("config \(config.digest) (\(config.size) bytes)")
    let manifestDescriptor = try layout.writeBlob(
      try CanonicalJSON.encode(ImageManifest(config: config, layers: layers.map(\.descriptor))),
      mediaType: MediaType.imageManifest)
    try layout.tag(manifestDescriptor, as: request.destination.tag)
    progress("manifest \(manifestDescriptor.digest) tagged \(request.destination)")
    return BuiltImage(
      reference: request.destination, manifest: manifestDescriptor, config: config, layers: layers)
  }

  private static func resolveBase(
    _ request: ImageRequest, into layout: ImageLayout, progress: (String) -> Void
  ) throws(OCIError) -> BaseImage {
    switch request.base {
    case .scratch:
      return BaseImage(layers: [], configuration: nil, layout: nil)
    case .hostRuntime:
      progress("collecting the host runtime of \(request.executable)")
      let entries = try HostRuntime.entries(forExecutable: request.executable)
      let layer = try LayerWriter.write(
        entries, modificationTime: 0, compressionLevel: request.compressionLevel, into: layout)
      progress("host-runtime base layer: \(entries.count) entries, " + describe(layer))
      return BaseImage(
        layers: [layer], configuration: nil, layout: layout,
        history: [HistoryEntry(created: rfc3339(0), createdBy: "tripgen host-runtime base")])
    case .layout(let reference):
      let base = try BaseImage.read(reference)
      let basePlatform = base.configuration?.platform
      if let basePlatform,
        basePlatform.os != request.platform.os
          || basePlatform.architecture != request.platform.architecture
      {
        throw .platformMismatch(
          base: reference.description,
          basePlatform: "\(basePlatform.os)/\(basePlatform.architecture)",
          target: "\(request.platform.os)/\(request.platform.architecture)")
      }
      if let source = base.layout, !sameDirectory(source.path, layout.path) {
        for layer in base.layers { try layout.copyBlob(layer.descriptor.digest, from: source) }
      }
      progress("base \(reference): \(base.layers.count) layers reused")
      return base
    }
  }

  /// The runtime settings: the base's environment and labels, then ours on top.
  static func runtimeConfiguration(_ request: ImageRequest, base: RuntimeConfiguration?)
    -> RuntimeConfiguration
  {
    var environment: [(key: String, value: String)] = []
    func set(_ setting: String) {
      let key = String(setting.prefix { $0 != "=" })
      let value = String(setting.dropFirst(key.count + 1))
      if let index = environment.firstIndex(where: { $0.key == key }) {
        environment[index].value = value
      } else {
        environment.append((key, value))
      }
    }
    set("PATH=\(defaultPath)")
    for setting in base?.env ?? [] { set(setting) }
    for setting in request.environment { set(setting) }

    var labels = base?.labels ?? [:]
    labels["org.opencontainers.image.created"] = rfc3339(request.creationTime)
    if let revision = request.revision { labels["org.opencontainers.image.revision"] = revision }
    if let source = request.source { labels["org.opencontainers.image.source"] = source }

    var ports = base?.exposedPorts ?? [:]
    for port in request.exposedPorts { ports[port] = EmptyObject() }
    return RuntimeConfiguration(
      user: "\(HostRuntime.userID):\(HostRuntime.userID)",
      exposedPorts: ports.isEmpty ? nil : ports,
      env: environment.map { "\($0.key)=\($0.value)" }, entrypoint: ["/app/\(request.product)"],
      workingDir: "/app", labels: labels, stopSignal: base?.stopSignal)
  }

  /// Docker's gzip layer type names the same bytes as OCI's: an OCI manifest lists it as OCI's.
  private static func normalizedMediaType(_ layer: Layer) -> Layer {
    var layer = layer
    if layer.descriptor.mediaType == MediaType.dockerLayerTarGzip {
      layer.descriptor.mediaType = MediaType.layerTarGzip
    }
    return layer
  }

  static func describe(_ layer: Layer) -> String {
    "layer \(layer.descriptor.digest) (\(layer.descriptor.size) bytes compressed, "
      + "\(layer.uncompressedSize.map(String.init) ?? "?") bytes tar, diff id \(layer.diffID))"
  }

  private static func sameDirectory(_ first: String, _ second: String) -> Bool {
    URL(fileURLWithPath: first).resolvingSymlinksInPath().path
      == URL(fileURLWithPath: second).resolvingSymlinksInPath().path
  }

  /// `2026-11-27T03:06:41Z` for seconds since 1970, in UTC.
  public static func rfc3339(_ seconds: Int) -> String {
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
  }
}
