import Foundation
import HTTP
import OCI
import Registry
import TestSupport
import Testing

/// Pushes to a real registry (Debian's docker-registry with htpasswd auth) on loopback.
@Suite struct RegistryPushTests {
  let registry: RegistryServer
  let scratch: TemporaryDirectory

  init() throws {
    registry = try RegistryServer()
    scratch = try TemporaryDirectory(prefix: "registry-push")
  }

  func pusher(chunkSize: Int = 16 << 20, password: String? = nil, mountSources: [String] = [])
    -> ImagePusher
  {
    let credentials = RegistryCredentials(
      username: registry.username, password: password ?? registry.password)
    let client = RegistryClient(
      registry: registry.host,
      configuration: RegistryClientConfiguration(credentials: credentials, chunkSize: chunkSize))
    return ImagePusher(client: client, mountSources: mountSources)
  }

  @Test func pushedImageIsSeenBySkopeoWithTheLayoutsDigest() async throws {
    let manifest = try TestImages.write(to: scratch.path + "/layout")
    let report = try await pusher().push(
      LayoutReference(path: scratch.path + "/layout", tag: "v1"), to: "team/user-service",
      tags: ["v1", "latest"])

    #expect(report.manifestDigest == manifest.digest.description)
    #expect(report.blobs.count == 3)
    #expect(report.blobs.allSatisfy { $0.transfer == .uploaded })
    for tag in ["v1", "latest"] {
      let inspected = try Command.check([
        "/usr/bin/skopeo", "inspect", "--tls-verify=false",
        "--creds", "\(registry.username):\(registry.password)",
        "docker://\(registry.host)/team/user-service:\(tag)",
      ])
      let json =
        try JSONSerialization.jsonObject(with: Data(inspected.standardOutput.utf8))
        as? [String: Any]
      #expect(json?["Digest"] as? String == manifest.digest.description)
    }
    // The registry serves back exactly the bytes of the layout's manifest.
    let stored = try await pusher().client.manifest("v1", in: "team/user-service")
    let layoutBytes = try ImageLayout.open(at: scratch.path + "/layout").readBlob(manifest.digest)
    #expect([UInt8](stored.bytes) == layoutBytes)
    #expect(stored.mediaType == MediaType.imageManifest)
  }

  @Test func secondPushAndNewTagUploadNoBlob() async throws {
    try TestImages.write(to: scratch.path + "/layout")
    let source = try LayoutReference(path: scratch.path + "/layout", tag: "v1")
    _ = try await pusher().push(source, to: "app", tags: ["v1"])
    let uploadsBefore = registry.requestCount(method: "PUT", pathContaining: "/blobs/uploads/")
    #expect(uploadsBefore == 3)

    let again = try await pusher().push(source, to: "app", tags: ["v1"])
    #expect(again.blobs.allSatisfy { $0.transfer == .present })
    let retagged = try await pusher().push(source, to: "app", tags: ["v2", "stable"])
    #expect(retagged.uploadedBlobs.isEmpty)
    #expect(retagged.manifestDigest == again.manifestDigest)

    #expect(registry.requestCount(method: "PUT", pathContaining: "/blobs/uploads/") == 3)
    #expect(registry.requestCount(method: "POST", pathContaining: "/blobs/uploads/") == 3)
    let client = pusher().client
    for tag in ["v1", "v2", "stable"] {
      #expect(try await client.manifest(tag, in: "app").digest.description == again.manifestDigest)
    }
  }

  @Test func wrongPasswordIsExplainedAndPushesNothing() async throws {
    try TestImages.write(to: scratch.path + "/layout")
    let source = try LayoutReference(path: scratch.path + "/layout", tag: "v1")
    let error = await #expect(throws: RegistryError.self) {
      try await pusher(password: "wrong-password").push(source, to: "app", tags: ["v1"])
    }
    let text = error?.description ?? ""
    #expect(text.contains("authentication to \(registry.host) as \(registry.username) failed"))
    #expect(!text.contains("wrong-password"))
    #expect(registry.requestCount(method: "PUT", pathContaining: "/manifests/") == 0)
    await #expect(throws: RegistryError.self) {
      try await pusher().client.manifest("v1", in: "app")
    }
  }

  @Test func unreachableRegistryNamesTheHost() async throws {
    try TestImages.write(to: scratch.path + "/layout")
    let port = try FreePort.pick()
    let client = RegistryClient(
      registry: "127.0.0.1:\(port)",
      configuration: RegistryClientConfiguration(
        http: HTTPClientConfiguration(retryPolicy: .never)))
    let error = await #expect(throws: RegistryError.self) {
      try await ImagePusher(client: client).push(
        LayoutReference(path: scratch.path + "/layout", tag: "v1"), to: "app", tags: ["v1"])
    }
    #expect(error?.description.contains("registry 127.0.0.1:\(port) is unreachable") == true)
  }

  @Test func largeBlobGoesUpInChunks() async throws {
    let size = 20 << 20
    try TestImages.write(to: scratch.path + "/layout", layerSizes: [size, 2000], seed: 7)
    let report = try await pusher(chunkSize: 4 << 20).push(
      LayoutReference(path: scratch.path + "/layout", tag: "v1"), to: "big", tags: ["v1"])
    let large = try #require(report.blobs.first { $0.size > size })
    #expect(large.transfer == .uploadedInChunks)
    #expect(report.blobs.filter { $0.size < 4 << 20 }.allSatisfy { $0.transfer == .uploaded })
    // 20 MiB and a gzip header in 4 MiB chunks: six PATCH requests.
    #expect(registry.requestCount(method: "PATCH", pathContaining: "/blobs/uploads/") == 6)
    let inspected = try Command.check([
      "/usr/bin/skopeo", "inspect", "--tls-verify=false",
      "--creds", "\(registry.username):\(registry.password)",
      "docker://\(registry.host)/big:v1",
    ])
    #expect(inspected.standardOutput.contains(report.manifestDigest))
  }

  @Test func blobsInASiblingRepositoryAreMounted() async throws {
    try TestImages.write(to: scratch.path + "/layout")
    let source = try LayoutReference(path: scratch.path + "/layout", tag: "v1")
    _ = try await pusher().push(source, to: "team/base", tags: ["v1"])
    let report = try await pusher(mountSources: ["team/base"]).push(
      source, to: "team/other", tags: ["v1"])
    #expect(report.blobs.allSatisfy { $0.transfer == .mounted })
    #expect(registry.requestCount(method: "PUT", pathContaining: "/blobs/uploads/") == 3)

    // A source that lacks the blobs is refused (202) and the push falls back to uploading.
    try TestImages.write(to: scratch.path + "/other", seed: 99)
    let fallback = try await pusher(mountSources: ["team/base"]).push(
      LayoutReference(path: scratch.path + "/other", tag: "v1"), to: "team/third", tags: ["v1"])
    #expect(fallback.blobs.allSatisfy { $0.transfer == .uploaded })
  }
}
