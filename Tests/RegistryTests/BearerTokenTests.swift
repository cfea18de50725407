import Foundation
import HTTP
import OCI
import Registry
import Synchronization
import TestSupport
import Testing

/// The Bearer token flow against an in-process stand-in: `TestHTTPServer` plays both the registry
/// (answering 401 with a Bearer challenge) and its token service.
@Suite struct BearerTokenTests {
  let digest = Digest(of: Array("blob".utf8))

  @Test func tokenIsFetchedOncePerScopeAndRefreshedOn401() async throws {
    let server = try TestHTTPServer()
    defer { server.shutdown() }
    let challenge =
      #"Bearer realm="http://127.0.0.1:\#(server.port)/token",service="test-registry""#
    let issued = Mutex(0)
    server.route("GET", "/token") { _ in
      let number = issued.withLock { count in
        count += 1
        return count
      }
      return .text(#"{"token":"tok-\#(number)","expires_in":300}"#)
    }
    server.route("GET", "/v2/") { request in
      request.header("Authorization")?.hasPrefix("Bearer tok-") == true
        ? .text("{}") : .text("{}", status: 401, headers: [("WWW-Authenticate", challenge)])
    }
    // The blob check accepts only the third token: the second (fetched for the push scope) is
    // refused as if it had been revoked, so the client must refresh it.
    server.route("HEAD", "/v2/team/app/blobs/\(digest)") { request in
      request.header("Authorization") == "Bearer tok-3"
        ? TestHTTPServer.Response(status: 200)
        : TestHTTPServer.Response(
          status: 401,
          headers: [("WWW-Authenticate", challenge + #",scope="repository:team/app:pull,push""#)])
    }
    let client = RegistryClient(
      registry: "127.0.0.1:\(server.port)",
      configuration: RegistryClientConfiguration(
        credentials: RegistryCredentials(username: "robot", password: "hunter2")))

    try await client.ping()
    try await client.ping()
    #expect(await client.tokenRequestCount == 1)
    #expect(try await client.blobExists(digest, in: "team/app"))
    #expect(try await client.blobExists(digest, in: "team/app"))
    #expect(await client.tokenRequestCount == 3)

    let tokenRequests = server.requests.filter { $0.path == "/token" }
    #expect(tokenRequests.count == 3)
    let expectedBasic = "Basic " + Data("robot:hunter2".utf8).base64EncodedString()
    #expect(tokenRequests.allSatisfy { $0.header("Authorization") == expectedBasic })
    #expect(tokenRequests[0].query == "service=test-registry")
    let scoped = try #require(tokenRequests.last?.query)
    #expect(scoped.contains("service=test-registry"))
    #expect(scoped.removingPercentEncoding?.contains("scope=repository:team/app:pull,push") == true)
  }

  @Test func refusedTokenRequestIsExplained() async throws {
    let server = try TestHTTPServer()
    defer { server.shutdown() }
    let challenge = #"Bearer realm="http://127.0.0.1:\#(server.port)/token",service="s""#
    server.route("GET", "/v2/") { _ in
      .text("{}", status: 401, headers: [("WWW-Authenticate", challenge)])
    }
    server.route("GET", "/token") { _ in
      .text(#"{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}"#, status: 401)
    }
    let client = RegistryClient(
      registry: "127.0.0.1:\(server.port)",
      configuration: RegistryClientConfiguration(
        credentials: RegistryCredentials(username: "robot", password: "hunter2")))
    let error = await #expect(throws: RegistryError.self) { try await client.ping() }
    let text = error?.description ?? ""
    #expect(text.contains("token service http://127.0.0.1:\(server.port)/token answered HTTP 401"))
    #expect(text.contains("UNAUTHORIZED: bad credentials"))
    #expect(!text.contains("hunter2"))
  }

  @Test func deniedPushIsExplained() async throws {
    let server = try TestHTTPServer()
    defer { server.shutdown() }
    server.route("GET", "/v2/") { _ in .text("{}") }
    server.route("POST", "/v2/user-service/blobs/uploads/") { _ in
      .text(
        #"{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"#,
        status: 403)
    }
    let client = RegistryClient(registry: "127.0.0.1:\(server.port)")
    let error = await #expect(throws: RegistryError.self) {
      try await client.uploadBlob(digest, size: 4, fromFile: "/dev/null", to: "user-service")
    }
    #expect(
      error?.description.hasPrefix(
        "push to 127.0.0.1:\(server.port)/user-service denied: the credential needs push rights "
          + "(AcrPush on ACR)") == true)
  }
}
