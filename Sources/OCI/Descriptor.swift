/// An OCI content descriptor: what a blob is, its digest and its size. Manifests point at their
/// config and layers with descriptors; an index points at manifests with them.
public struct Descriptor: Hashable, Sendable, Codable {
  public var mediaType: String
  public var digest: Digest
  public var size: Int
  /// Set on manifests in an index (`org.opencontainers.image.ref.name` names the tag).
  public var annotations: [String: String]?
  /// Set on manifests in an index that lists several platforms.
  public var platform: Platform?

  public init(
    mediaType: String, digest: Digest, size: Int, annotations: [String: String]? = nil,
    platform: Platform? = nil
  ) {
    self.mediaType = mediaType
    self.digest = digest
    self.size = size
    self.annotations = annotations
    self.platform = platform
  }
}

/// An operating system and CPU architecture, in Go's names (`linux`, `amd64`).
public struct Platform: Hashable, Sendable, Codable {
  public var architecture: String
  public var os: String
  public var variant: String?

  public init(architecture: String, os: String, variant: String? = nil) {
    self.architecture = architecture
    self.os = os
    self.variant = variant
  }

  /// The platform of the machine running this code (images are built for the build machine).
  public static var host: Platform {
    #if arch(x86_64)
      return Platform(architecture: "amd64", os: "linux")
    #elseif arch(arm64)
      return Platform(architecture: "arm64", os: "linux", variant: "v8")
    #else
      #error("Add this CPU architecture's OCI name")
    #endif
  }
}

/// The annotation that names a tag in a layout's `index.json`.
public let referenceNameAnnotation = "org.opencontainers.image.ref.name"
