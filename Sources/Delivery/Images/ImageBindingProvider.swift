import Environments

/// Where an environment's image bindings come from: the image store (``StoreImageBindings``: the
/// CI step pushed them, or the controller checks the source-addressed tag), or bindings given up
/// front (``FixedImageBindings``: the command line, a history entry for a rollback, the digests
/// the CI step just built).
public protocol ImageBindingProvider: Sendable {
  /// The bindings of every image of `environment` at `revision`, in the environment's order.
  func bindings(for environment: Environment, at revision: Revision) async throws
    -> [ImageBinding]
}

/// Bindings given up front. An image with no given binding gets `fallbackTag` and no digest: it is
/// reported as waiting for its image.
public struct FixedImageBindings: ImageBindingProvider {
  public var bindings: [ImageBinding]
  /// The tag of images without a binding (the revision's first 12 characters, when nil).
  public var fallbackTag: String?

  public init(_ bindings: [ImageBinding], fallbackTag: String? = nil) {
    self.bindings = bindings
    self.fallbackTag = fallbackTag
  }

  public func bindings(for environment: Environment, at revision: Revision) async throws
    -> [ImageBinding]
  {
    environment.spec.images.map { image in
      if let given = bindings.first(where: { $0.name == image.name }) { return given }
      return ImageBinding(
        name: image.name, registry: environment.spec.registry.host,
        repository: image.repositoryName,
        tag: fallbackTag ?? String(revision.description.prefix(12)), digest: nil)
    }
  }

  /// Parses `NAME=[REGISTRY/]REPOSITORY[:TAG]@sha256:HEX`.
  public static func parse(_ text: String) -> ImageBinding? {
    guard let equals = text.firstIndex(of: "=") else { return nil }
    let name = String(text[..<equals])
    let reference = String(text[text.index(after: equals)...])
    guard !name.isEmpty, let at = reference.firstIndex(of: "@") else { return nil }
    let digest = String(reference[reference.index(after: at)...])
    guard digest.hasPrefix("sha256:"), digest.count == 71 else { return nil }
    var path = String(reference[..<at])
    var tag = "latest"
    if let colon = path.lastIndex(of: ":"), !path[colon...].contains("/") {
      tag = String(path[path.index(after: colon)...])
      path = String(path[..<colon])
    }
    var registry: String?
    if let slash = path.firstIndex(of: "/") {
      let first = path[..<slash]
      if first.contains(".") || first.contains(":") || first == "localhost" {
        registry = String(first)
        path = String(path[path.index(after: slash)...])
      }
    }
    guard !path.isEmpty else { return nil }
    return ImageBinding(name: name, registry: registry, repository: path, tag: tag, digest: digest)
  }
}
