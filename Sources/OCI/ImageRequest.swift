/// Everything that decides an image: the same request gives the same digests, byte for byte.
public struct ImageRequest: Sendable {
  /// The product name: the executable goes to `/app/<product>`.
  public var product: String
  /// The built executable on this machine.
  public var executable: String
  /// Resource bundle directories to put next to the executable (see `ResourceBundles.find`).
  public var resourceBundles: [String]
  public var base: BaseImageSource
  public var destination: LayoutReference
  /// Ports in `8080/tcp` form.
  public var exposedPorts: [String]
  /// `KEY=VALUE` settings added after PATH; a key given again replaces the earlier value.
  public var environment: [String]
  /// The creation time in seconds since 1970: the commit time (SOURCE_DATE_EPOCH), never "now".
  public var creationTime: Int
  /// `org.opencontainers.image.revision`: the commit.
  public var revision: String?
  /// `org.opencontainers.image.source`: the repository URL.
  public var source: String?
  public var platform: Platform
  /// zlib level for new layers, 1...9.
  public var compressionLevel: Int32

  public init(
    product: String, executable: String, resourceBundles: [String] = [],
    base: BaseImageSource = .hostRuntime, destination: LayoutReference,
    exposedPorts: [String] = ["8080/tcp"], environment: [String] = [], creationTime: Int,
    revision: String? = nil, source: String? = nil, platform: Platform = .host,
    compressionLevel: Int32 = 6
  ) {
    self.product = product
    self.executable = executable
    self.resourceBundles = resourceBundles
    self.base = base
    self.destination = destination
    self.exposedPorts = exposedPorts
    self.environment = environment
    self.creationTime = creationTime
    self.revision = revision
    self.source = source
    self.platform = platform
    self.compressionLevel = compressionLevel
  }
}

/// An image written to a layout.
public struct BuiltImage: Sendable, Hashable {
  public var reference: LayoutReference
  public var manifest: Descriptor
  public var config: Descriptor
  /// All layers, base layers first.
  public var layers: [Layer]
}
