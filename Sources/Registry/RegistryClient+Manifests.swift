import Foundation
import HTTP
import OCI

/// A manifest as the registry holds it: its exact bytes, media type and digest.
public struct RegistryManifest: Sendable {
  public var bytes: Data
  public var mediaType: String
  public var digest: Digest
}

extension RegistryClient {
  /// `PUT /v2/<repository>/manifests/<tag>` with the manifest's exact bytes and media type;
  /// checks that the registry's `Docker-Content-Digest` is the digest of those bytes.
  public func putManifest(
    _ bytes: Data, mediaType: String, digest: Digest, repository: String, tag: String
  ) async throws(RegistryError) {
    let operation = "putting the manifest \(repository):\(tag)"
    var request = HTTPRequest(
      method: .put, url: url("/v2/\(repository)/manifests/\(tag)"), body: .bytes(bytes))
    request.headers.set("Content-Type", mediaType)
    let response = try await send(
      request, scopes: [Self.pushScope(repository)], operation: operation)
    guard response.status == 201 else {
      throw unexpected(response, operation: operation, repository: repository)
    }
    if let stored = response.headers["Docker-Content-Digest"], stored != digest.description {
      throw .digestMismatch(
        url: response.url.absoluteString, expected: digest.description, actual: stored)
    }
  }

  /// `GET /v2/<repository>/manifests/<reference>` (a tag or a digest), accepting OCI and Docker
  /// manifests and indexes.
  public func manifest(_ reference: String, in repository: String) async throws(RegistryError)
    -> RegistryManifest
  {
    let operation = "getting the manifest \(repository):\(reference)"
    var request = HTTPRequest(method: .get, url: url("/v2/\(repository)/manifests/\(reference)"))
    request.headers.set(
      "Accept",
      [
        MediaType.imageManifest, MediaType.imageIndex, MediaType.dockerManifest,
        "application/vnd.docker.distribution.manifest.list.v2+json",
      ].joined(separator: ", "))
    let response = try await send(
      request, scopes: [Self.pullScope(repository)], operation: operation)
    guard response.status == 200 else {
      throw unexpected(response, operation: operation, repository: repository, action: "pull")
    }
    let digest = Digest(of: [UInt8](response.body))
    if let stored = response.headers["Docker-Content-Digest"], stored != digest.description {
      throw .digestMismatch(
        url: response.url.absoluteString, expected: stored, actual: digest.description)
    }
    return RegistryManifest(
      bytes: response.body,
      mediaType: response.headers["Content-Type"] ?? MediaType.imageManifest, digest: digest)
  }

  /// `GET /v2/<repository>/blobs/<digest>` into memory, checking the digest (for configs).
  public func blob(_ digest: Digest, in repository: String) async throws(RegistryError) -> Data {
    let operation = "getting blob \(digest) from \(repository)"
    let response = try await send(
      HTTPRequest(method: .get, url: url("/v2/\(repository)/blobs/\(digest)")),
      scopes: [Self.pullScope(repository)], operation: operation)
    guard response.status == 200 else {
      throw unexpected(response, operation: operation, repository: repository, action: "pull")
    }
    let actual = Digest(of: [UInt8](response.body))
    guard actual == digest else {
      throw .digestMismatch(
        url: response.url.absoluteString, expected: digest.description,
        actual: actual.description)
    }
    return response.body
  }
}
