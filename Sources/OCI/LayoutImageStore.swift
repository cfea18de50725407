import Blocking
import Foundation

/// An OCI image layout directory as an ``ImageStore``: several services' images share it, each
/// under its source-addressed tag (the tag hashes the product, so tags never collide).
public struct LayoutImageStore: ImageStore {
  public let directory: String

  public init(directory: String) {
    self.directory = directory
  }

  public var registryHost: String? { nil }

  public func location(of repository: String) -> String { directory }

  public func reference(repository: String, tag: String, digest: String) -> String {
    "oci:\(directory):\(tag)"
  }

  public func image(repository: String, tag: String) async throws -> StoredImage? {
    let directory = self.directory
    return try await offPool { () throws(OCIError) in
      try Self.image(in: directory, tag: tag)
    }
  }

  /// The image tagged `tag` in the layout at `directory`. No layout yet means nothing is built;
  /// a tag whose blobs were deleted is not an image either (it must be built again).
  public static func image(in directory: String, tag: String) throws(OCIError) -> StoredImage? {
    guard FileManager.default.fileExists(atPath: directory + "/index.json") else { return nil }
    let layout = try ImageLayout.open(at: directory)
    guard
      let descriptor = try layout.readIndex().manifests.first(where: {
        $0.annotations?[referenceNameAnnotation] == tag
      })
    else { return nil }
    let manifest: ImageManifest
    do {
      manifest = try JSONDecoder().decode(
        ImageManifest.self, from: Data(try layout.readBlob(descriptor.digest)))
    } catch let error as OCIError {
      throw error
    } catch {
      throw .malformedJSON(
        path: layout.blobPath(descriptor.digest), expected: "an image manifest",
        reason: "\(error)")
    }
    for blob in [manifest.config] + manifest.layers where !layout.hasBlob(blob.digest) {
      return nil
    }
    return StoredImage(
      digest: descriptor.digest.description,
      size: manifest.config.size + manifest.layers.reduce(0) { $0 + $1.size })
  }
}
