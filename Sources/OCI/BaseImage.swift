import Blocking

/// What an image is built on.
public enum BaseImageSource: Hashable, Sendable, CustomStringConvertible {
  /// The build machine's loader, the executable's shared libraries, CA bundle, users and /tmp.
  case hostRuntime
  /// Nothing: the image holds the application layer alone. Only a fully static executable (no
  /// PT_INTERP) runs there: a `--static-swift-stdlib` binary still needs glibc and its loader.
  case scratch
  /// An image already in an OCI layout: its layers are reused as they are (blobs are linked or copied,
  /// never rewritten), and its config provides the starting environment.
  case layout(LayoutReference)

  /// Parses `host-runtime`, `scratch` or `oci:DIR:TAG`.
  public init(parsing text: String) throws(OCIError) {
    switch text {
    case "host-runtime": self = .hostRuntime
    case "scratch": self = .scratch
    default:
      guard text.hasPrefix("oci:") else {
        throw .invalidReference(
          text,
          reason:
            "a base here is host-runtime, scratch or oci:DIR:TAG; an image in a registry is "
            + "pulled into a layout first (Registry.BaseImagePuller, as tripgen image build does)")
      }
      self = .layout(try LayoutReference(parsing: text))
    }
  }

  public var description: String {
    switch self {
    case .hostRuntime: return "host-runtime"
    case .scratch: return "scratch"
    case .layout(let reference): return reference.description
    }
  }
}

/// A base resolved to layers: blobs in `layout` (nil when there are none to copy) and the base config.
public struct BaseImage: Sendable {
  public var layers: [Layer]
  public var configuration: ImageConfiguration?
  public var layout: ImageLayout?
  public var history: [HistoryEntry]

  public init(
    layers: [Layer], configuration: ImageConfiguration?, layout: ImageLayout?,
    history: [HistoryEntry] = []
  ) {
    self.layers = layers
    self.configuration = configuration
    self.layout = layout
    self.history = history
  }

  /// `read(_:)` on a thread of its own, for async callers.
  public static func load(_ reference: LayoutReference) async throws(OCIError) -> BaseImage {
    try await offPool { () throws(OCIError) in try read(reference) }
  }

  /// Reads the image tagged `reference.tag` in the layout at `reference.path`: its manifest, config
  /// and layer descriptors (the layer blobs are checked to exist, not read). Blocking.
  public static func read(_ reference: LayoutReference) throws(OCIError) -> BaseImage {
    let layout = try ImageLayout.open(at: reference.path)
    let descriptor = try layout.manifestDescriptor(tag: reference.tag)
    let manifestPath = layout.blobPath(descriptor.digest)
    guard
      descriptor.mediaType == MediaType.imageManifest
        || descriptor.mediaType == MediaType.dockerManifest
    else { throw .unsupportedMediaType(path: manifestPath, mediaType: descriptor.mediaType) }
    let manifest = try CanonicalJSON.decode(
      ImageManifest.self, from: try layout.readBlob(descriptor.digest), path: manifestPath)
    let configPath = layout.blobPath(manifest.config.digest)
    let configuration = try CanonicalJSON.decode(
      ImageConfiguration.self, from: try layout.readBlob(manifest.config.digest), path: configPath)
    guard configuration.rootfs.diffIDs.count == manifest.layers.count else {
      throw .malformedJSON(
        path: configPath, expected: "image config",
        reason:
          "it lists \(configuration.rootfs.diffIDs.count) diff ids for \(manifest.layers.count) layers"
      )
    }
    var layers: [Layer] = []
    for (descriptor, diffID) in zip(manifest.layers, configuration.rootfs.diffIDs) {
      let accepted = [MediaType.layerTarGzip, MediaType.dockerLayerTarGzip, MediaType.layerTar]
      guard accepted.contains(descriptor.mediaType) else {
        throw .unsupportedMediaType(path: manifestPath, mediaType: descriptor.mediaType)
      }
      guard layout.hasBlob(descriptor.digest) else {
        throw .blobMissing(layout: layout.path, digest: descriptor.digest)
      }
      layers.append(Layer(descriptor: descriptor, diffID: diffID))
    }
    return BaseImage(
      layers: layers, configuration: configuration, layout: layout,
      history: configuration.history ?? [])
  }
}
