import Foundation
import OCI

/// A registry as an ``ImageStore``: a tag exists when the registry serves its manifest.
extension RegistryClient: ImageStore {
  public var registryHost: String? { registry }

  public func location(of repository: String) -> String { registry + "/" + repository }

  public func reference(repository: String, tag: String, digest: String) -> String {
    "\(registry)/\(repository)@\(digest)"
  }

  /// `GET /v2/<repository>/manifests/<tag>` (the manifest is small, and its size is reported);
  /// 404 (distribution's MANIFEST_UNKNOWN or NAME_UNKNOWN) means not built yet.
  public func image(repository: String, tag: String) async throws -> StoredImage? {
    let manifest: RegistryManifest
    do {
      manifest = try await self.manifest(tag, in: repository)
    } catch {
      if case .unexpectedResponse(_, _, let status, _, _) = error, status == 404 { return nil }
      throw error
    }
    let size =
      (try? JSONDecoder().decode(ImageManifest.self, from: manifest.bytes)).map {
        $0.config.size + $0.layers.reduce(0) { $0 + $1.size }
      } ?? 0
    return StoredImage(digest: manifest.digest.description, size: size)
  }
}
