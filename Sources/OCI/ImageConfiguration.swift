/// An OCI image configuration (`application/vnd.oci.image.config.v1+json`). Field names follow the
/// image spec, which keeps Docker's capitalised names inside `config`.
public struct ImageConfiguration: Hashable, Sendable, Codable {
  /// RFC 3339 time the image was created: the commit time, never the build time, so it is reproducible.
  public var created: String?
  public var architecture: String
  public var os: String
  public var variant: String?
  public var config: RuntimeConfiguration
  public var rootfs: RootFilesystem
  public var history: [HistoryEntry]?

  public init(
    created: String?, platform: Platform, config: RuntimeConfiguration, diffIDs: [Digest],
    history: [HistoryEntry]? = nil
  ) {
    self.created = created
    self.architecture = platform.architecture
    self.os = platform.os
    self.variant = platform.variant
    self.config = config
    self.rootfs = RootFilesystem(diffIDs: diffIDs)
    self.history = history
  }

  public var platform: Platform { Platform(architecture: architecture, os: os, variant: variant) }
}

/// How a container of the image runs.
public struct RuntimeConfiguration: Hashable, Sendable, Codable {
  public var user: String?
  public var exposedPorts: [String: EmptyObject]?
  public var env: [String]?
  public var entrypoint: [String]?
  public var cmd: [String]?
  public var workingDir: String?
  public var labels: [String: String]?
  public var stopSignal: String?

  public init(
    user: String? = nil, exposedPorts: [String: EmptyObject]? = nil, env: [String]? = nil,
    entrypoint: [String]? = nil, cmd: [String]? = nil, workingDir: String? = nil,
    labels: [String: String]? = nil, stopSignal: String? = nil
  ) {
    self.user = user
    self.exposedPorts = exposedPorts
    self.env = env
    self.entrypoint = entrypoint
    self.cmd = cmd
    self.workingDir = workingDir
    self.labels = labels
    self.stopSignal = stopSignal
  }

  enum CodingKeys: String, CodingKey {
    case user = "User"
    case exposedPorts = "ExposedPorts"
    case env = "Env"
    case entrypoint = "Entrypoint"
    case cmd = "Cmd"
    case workingDir = "WorkingDir"
    case labels = "Labels"
    case stopSignal = "StopSignal"
  }
}

/// `{}`: the value of each key in `ExposedPorts`.
public struct EmptyObject: Hashable, Sendable, Codable {
  public init() {}
}

/// The layers' diff ids (digests of the uncompressed tars), lowest first.
public struct RootFilesystem: Hashable, Sendable, Codable {
  public var type: String = "layers"
  public var diffIDs: [Digest]

  public init(diffIDs: [Digest]) { self.diffIDs = diffIDs }

  enum CodingKeys: String, CodingKey {
    case type
    case diffIDs = "diff_ids"
  }
}

/// One step in how the image was made, shown by `docker history`.
public struct HistoryEntry: Hashable, Sendable, Codable {
  public var created: String?
  public var createdBy: String?
  public var comment: String?
  public var emptyLayer: Bool?

  public init(
    created: String?, createdBy: String?, comment: String? = nil, emptyLayer: Bool? = nil
  ) {
    self.created = created
    self.createdBy = createdBy
    self.comment = comment
    self.emptyLayer = emptyLayer
  }

  enum CodingKeys: String, CodingKey {
    case created
    case createdBy = "created_by"
    case comment
    case emptyLayer = "empty_layer"
  }
}
