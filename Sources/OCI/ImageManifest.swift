/// An OCI image manifest: one config and the layers, lowest first.
public struct ImageManifest: Hashable, Sendable, Codable {
  public var schemaVersion: Int = 2
  public var mediaType: String? = MediaType.imageManifest
  public var config: Descriptor
  public var layers: [Descriptor]
  public var annotations: [String: String]?

  public init(config: Descriptor, layers: [Descriptor], annotations: [String: String]? = nil) {
    self.config = config
    self.layers = layers
    self.annotations = annotations
  }
}

/// An OCI image index: the shape of a layout's `index.json`, one descriptor per tagged manifest.
public struct ImageIndex: Hashable, Sendable, Codable {
  public var schemaVersion: Int = 2
  public var mediaType: String? = MediaType.imageIndex
  public var manifests: [Descriptor]
  public var annotations: [String: String]?

  public init(manifests: [Descriptor], annotations: [String: String]? = nil) {
    self.manifests = manifests
    self.annotations = annotations
  }
}
