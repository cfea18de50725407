/// Where built images are kept and looked up by tag: a registry (the Registry module's client) or
/// an OCI image layout on disk (``LayoutImageStore``). The one answer to "is this tag built, and
/// what is its digest" for `tripgen ci` (reuse or build), the CLI and the controller (bind digests).
public protocol ImageStore: Sendable {
  /// The registry host images are pulled from; nil for a layout on disk.
  var registryHost: String? { get }

  /// `host/repository`, or the layout directory: where `repository`'s images live, for messages.
  func location(of repository: String) -> String

  /// The reference of a stored image: `host/repository@digest`, or `oci:DIR:TAG` (skopeo's form).
  func reference(repository: String, tag: String, digest: String) -> String

  /// The image tagged `tag` in `repository`; nil when there is none. Errors other than "not
  /// there" (denied, unreachable, a broken layout) throw.
  func image(repository: String, tag: String) async throws -> StoredImage?
}

/// An image found in a store.
public struct StoredImage: Sendable, Equatable {
  /// `sha256:...` of the manifest.
  public var digest: String
  /// Compressed size of config and layers (0 for an index).
  public var size: Int

  public init(digest: String, size: Int) {
    self.digest = digest
    self.size = size
  }
}
