import Foundation
import OCI
import Registry
import TestSupport
import Testing

/// Asking whether a tag exists (and its digest) without downloading it: in a real registry and in
/// an OCI layout.
@Suite struct ManifestLookupTests {
  let registry: RegistryServer
  let scratch: TemporaryDirectory

  init() throws {
    registry = try RegistryServer()
    scratch = try TemporaryDirectory(prefix: "manifest-lookup")
  }

  func client(password: String? = nil) -> RegistryClient {
    RegistryClient(
      registry: registry.host,
      configuration: RegistryClientConfiguration(
        credentials: RegistryCredentials(
          username: registry.username, password: password ?? registry.password)))
  }

  @Test func existingTagGivesItsDigestAndMissingOnesGiveNil() async throws {
    let manifest = try TestImages.write(to: scratch.path + "/layout")
    _ = try await ImagePusher(client: client()).push(
      LayoutReference(path: scratch.path + "/layout", tag: "v1"), to: "team/app",
      tags: ["src-0123456789abcdef0123"])

    let client = client()
    #expect(
      try await client.manifestDigest(repository: "team/app", reference: "src-0123456789abcdef0123")
        == manifest.digest)
    #expect(
      try await client.manifestDigest(
        repository: "team/app", reference: manifest.digest.description) == manifest.digest)
    #expect(try await client.manifestDigest(repository: "team/app", reference: "src-other") == nil)
    #expect(try await client.manifestDigest(repository: "team/none", reference: "v1") == nil)
    // Only HEAD requests: nothing was downloaded.
    #expect(registry.requestCount(method: "GET", pathContaining: "/manifests/") == 0)
    #expect(registry.requestCount(method: "HEAD", pathContaining: "/manifests/") == 4)
  }

  @Test func authenticationFailureThrowsInsteadOfAnsweringNil() async throws {
    let error = await #expect(throws: RegistryError.self) {
      try await client(password: "not-it").manifestDigest(repository: "team/app", reference: "v1")
    }
    #expect(error?.description.contains("authentication to \(registry.host)") == true)
    #expect(error?.description.contains("not-it") == false)
  }

  @Test func layoutTagLookup() throws {
    let layout = try ImageLayout.create(at: scratch.path + "/lookup")
    #expect(try layout.manifestDigest(tag: "v1") == nil)
    let manifest = try TestImages.write(to: scratch.path + "/lookup", tag: "src-abc")
    #expect(try layout.manifestDigest(tag: "src-abc") == manifest.digest)
    #expect(try layout.manifestDigest(tag: "v1") == nil)
  }
}
