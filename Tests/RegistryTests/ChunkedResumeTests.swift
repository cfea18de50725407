import Foundation
import OCI
import Registry
import Synchronization
import TestSupport
import Testing

/// A chunked upload whose connection breaks mid-way, against an in-process stand-in registry
/// (`TestHTTPServer`): the real registry cannot be made to drop a connection on cue.
@Suite struct ChunkedResumeTests {
  @Test func brokenChunkResumesFromTheReportedRange() async throws {
    let scratch = try TemporaryDirectory(prefix: "registry-resume")
    let bytes = TestImages.pseudoRandomBytes(count: 10_240, seed: 5)
    let digest = Digest(of: bytes)
    let file = scratch.file("blob")
    try Data(bytes).write(to: file)

    let server = try TestHTTPServer()
    defer { server.shutdown() }
    let received = Mutex<[UInt8]>([])
    let patches = Mutex(0)
    // Relative, and already carrying the registry's own state in its query.
    let upload = "/v2/app/blobs/uploads/u1"
    let location = upload + "?_state=abc"
    server.route("GET", "/v2/") { _ in .text("{}") }
    server.route("POST", "/v2/app/blobs/uploads/") { _ in
      TestHTTPServer.Response(status: 202, headers: [("Location", location), ("Range", "0-0")])
    }
    server.route("PATCH", upload) { request in
      let total = received.withLock { stored in
        stored += request.body
        return stored.count
      }
      let number = patches.withLock { count in
        count += 1
        return count
      }
      // The second chunk arrives, but the answer is cut off after its head and a few bytes (with
      // no response byte at all, curl itself would resend the request on a fresh connection).
      if number == 2 {
        return TestHTTPServer.Response(
          status: 202, body: .truncated(declaredLength: 50, sentLength: 10))
      }
      return TestHTTPServer.Response(
        status: 202, headers: [("Location", location), ("Range", "0-\(total - 1)")])
    }
    server.route("GET", upload) { _ in
      let total = received.withLock { $0.count }
      return TestHTTPServer.Response(
        status: 204, headers: [("Location", location), ("Range", "0-\(total - 1)")])
    }
    server.route("PUT", upload) { request in
      let stored = received.withLock { $0 }
      let good = Digest(of: stored) == digest && request.query == "_state=abc&digest=\(digest)"
      return TestHTTPServer.Response(
        status: good ? 201 : 400, headers: [("Docker-Content-Digest", digest.description)],
        body: .bytes(Array("stored \(stored.count) bytes, query \(request.query ?? "")".utf8)))
    }

    let client = RegistryClient(
      registry: "127.0.0.1:\(server.port)",
      configuration: RegistryClientConfiguration(chunkSize: 4096))
    let transfer = try await client.uploadBlob(
      digest, size: bytes.count, fromFile: file.path, to: "app")
    #expect(transfer == .uploadedInChunks)
    #expect(patches.withLock { $0 } == 3)
    #expect(received.withLock { $0 } == bytes)
    let ranges = server.requests.filter { $0.method == "PATCH" }.map { $0.header("Content-Range") }
    #expect(ranges == ["0-4095", "4096-8191", "8192-10239"])
    #expect(server.requests.contains { $0.method == "GET" && $0.path == upload })
  }
}
