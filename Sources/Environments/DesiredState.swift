import YAML

/// Where a service image stands at a revision: its source-addressed tag, and its digest once the
/// registry (or OCI layout) has it.
public struct ImageBinding: Sendable, Equatable, Codable {
  /// The environment's image this binds.
  public var name: String
  /// The registry host, or nil for an OCI layout / the chart's default registry.
  public var registry: String?
  public var repository: String
  /// The source-addressed tag.
  public var tag: String
  /// `sha256:...` when the image exists; nil while it is still to be built ("waiting for image").
  public var digest: String?

  public init(name: String, registry: String?, repository: String, tag: String, digest: String?) {
    self.name = name
    self.registry = registry
    self.repository = repository
    self.tag = tag
    self.digest = digest
  }

  /// `registry/repository@digest`, or `registry/repository:tag` when there is no digest yet.
  public var reference: String {
    let base = registry.map { "\($0)/\(repository)" } ?? repository
    return digest.map { "\(base)@\($0)" } ?? "\(base):\(tag)"
  }
}

/// One object the environment would apply, with the template it came from.
public struct RenderedObject: Sendable {
  public var key: ObjectKey
  /// The object, tracking marks included.
  public var object: JSONValue
  /// The template path (`tripgen/charts/redis/templates/statefulset.yaml`), for messages.
  public var source: String

  public init(key: ObjectKey, object: JSONValue, source: String) {
    self.key = key
    self.object = object
    self.source = source
  }
}

/// Everything the environment should be at one revision, rendered and marked, before any check
/// against a cluster.
public struct DesiredState: Sendable {
  public var environment: Environment
  /// The revision the files were read from.
  public var source: Revision
  public var images: [ImageBinding]
  /// Every object, hooks included, in Helm's install order per chart.
  public var objects: [RenderedObject]

  public init(
    environment: Environment, source: Revision, images: [ImageBinding], objects: [RenderedObject]
  ) {
    self.environment = environment
    self.source = source
    self.images = images
    self.objects = objects
  }

  /// The revision as the history records it (a commit id, or `working-tree`).
  public var revision: String { source.description }

  /// The images that have no digest yet: nothing that uses them can be applied.
  public var waitingForImages: [ImageBinding] { images.filter { $0.digest == nil } }
}
