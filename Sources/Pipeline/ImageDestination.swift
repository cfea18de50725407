import Blocking
import Foundation
import OCI
import Registry

/// Where an environment's images live: a registry, or (for `local`) one OCI image layout that holds
/// every service's image under its source-addressed tag (the tag hashes the product, so tags of
/// different services never collide; `ImageResolver` reads the same layout). Answers whether a source-addressed tag already exists there, so
/// that an unchanged service is neither rebuilt nor pushed.
public enum ImageDestination: Sendable {
  /// An OCI image layout directory holding the images' tags.
  case layout(directory: String)
  /// A registry host and a client for it.
  case registry(host: String, client: RegistryClient)

  /// An image found at the destination.
  public struct Existing: Sendable {
    public var digest: String
    /// Compressed size of config and layers.
    public var size: Int
  }

  /// The image tagged `tag` in `repository`, or nil when there is none.
  public func existing(repository: String, tag: String) async throws(PipelineError) -> Existing? {
    switch self {
    case .layout(let directory):
      return try await offPool { () throws(PipelineError) in
        try Self.existingInLayout(path: directory, tag: tag)
      }
    case .registry(let host, let client):
      do {
        let manifest = try await client.manifest(tag, in: repository)
        let size =
          (try? JSONDecoder().decode(ImageManifest.self, from: manifest.bytes)).map {
            $0.config.size + $0.layers.reduce(0) { $0 + $1.size }
          } ?? 0
        return Existing(digest: manifest.digest.description, size: size)
      } catch {
        if Self.isNotFound(error) { return nil }
        throw .image(
          service: repository, stage: "looking up \(host)/\(repository):\(tag)",
          reason: "\(error)")
      }
    }
  }

  /// `host/repository` or the layout directory of `repository`.
  public func location(of repository: String) -> String {
    switch self {
    case .layout(let directory): return directory
    case .registry(let host, _): return host + "/" + repository
    }
  }

  /// The reference of an image: `host/repository@digest`, or `oci:DIR:TAG`.
  public func reference(repository: String, tag: String, digest: String) -> String {
    switch self {
    case .layout(let directory): return "oci:\(directory):\(tag)"
    case .registry(let host, _): return "\(host)/\(repository)@\(digest)"
    }
  }

  static func existingInLayout(path: String, tag: String) throws(PipelineError) -> Existing? {
    guard FileManager.default.fileExists(atPath: path + "/index.json") else { return nil }
    do {
      let layout = try ImageLayout.open(at: path)
      guard
        let descriptor = try layout.readIndex().manifests.first(where: {
          $0.annotations?["org.opencontainers.image.ref.name"] == tag
        })
      else { return nil }
      let manifest = try JSONDecoder().decode(
        ImageManifest.self, from: Data(try layout.readBlob(descriptor.digest)))
      // A tag whose blobs were deleted is not an image: build it again.
      for blob in [manifest.config] + manifest.layers where !layout.hasBlob(blob.digest) {
        return nil
      }
      return Existing(
        digest: descriptor.digest.description,
        size: manifest.config.size + manifest.layers.reduce(0) { $0 + $1.size })
    } catch {
      throw .image(service: path, stage: "reading the layout", reason: "\(error)")
    }
  }

  /// A manifest the registry does not have: 404 (distribution answers MANIFEST_UNKNOWN).
  static func isNotFound(_ error: RegistryError) -> Bool {
    if case .unexpectedResponse(_, _, let status, _, _) = error { return status == 404 }
    return false
  }
}
