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

  /// The media types a manifest request accepts: OCI and Docker manifests and indexes.
  static let manifestAccept = [
    MediaType.imageManifest, MediaType.imageIndex, MediaType.dockerManifest,
    MediaType.dockerManifestList,
  ].joined(separator: ", ")

  /// `HEAD /v2/<repository>/manifests/<reference>`: the digest of the manifest (or index) that
  /// `reference` (a tag or a digest) names, or nil when the repository has no such manifest (or
  /// does not exist yet). Nothing is downloaded; use it to skip a build whose source-addressed
  /// tag is already pushed. Errors other than 404 (authentication, denied, unreachable) throw.
  public func manifestDigest(repository: String, reference: String) async throws(RegistryError)
    -> Digest?
  {
    let operation = "checking for the manifest \(repository):\(reference)"
    var request = HTTPRequest(method: .head, url: url("/v2/\(repository)/manifests/\(reference)"))
    request.headers.set("Accept", Self.manifestAccept)
    let response = try await send(
      request, scopes: [Self.pullScope(repository)], operation: operation, to: .discard)
    switch response.status {
    case 200:
      if let header = response.headers["Docker-Content-Digest"],
        let digest = try? Digest(parsing: header)
      {
        return digest
      }
      // The header is optional in the specification: hash the manifest itself.
      return try await manifest(reference, in: repository).digest
    case 404:
      return nil
    default:
      throw unexpected(response, operation: operation, repository: repository, action: "pull")
    }
  }

  /// `GET /v2/<repository>/manifests/<reference>` (a tag or a digest), accepting OCI and Docker
  /// manifests and indexes.
  public func manifest(_ reference: String, in repository: String) async throws(RegistryError)
    -> RegistryManifest
  {
    let operation = "getting the manifest \(repository):\(reference)"
    var request = HTTPRequest(method: .get, url: url("/v2/\(repository)/manifests/\(reference)"))
    request.headers.set("Accept", Self.manifestAccept)
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
