import Foundation
import HTTP
import TestSupport
import Testing

/// Credentials given in a URL or in headers must never appear in errors or descriptions.
@Suite struct HTTPRedactionTests {
  @Test func userinfoIsRemovedFromErrors() async throws {
    let port = try FreePort.pick()
    let client = HTTPClient(configuration: HTTPClientConfiguration(retryPolicy: .never))
    let url = URL(string: "http://deploy:hunter2-secret@127.0.0.1:\(port)/v2/")!
    await #expect {
      try await client.get(url)
    } throws: { error in
      guard case .connectFailed(_, _, _, let reportedURL) = error as? HTTPError else {
        return false
      }
      return reportedURL == "http://<redacted>@127.0.0.1:\(port)/v2/"
        && !"\(error)".contains("hunter2") && !String(reflecting: error).contains("hunter2")
    }
  }

  @Test func userinfoIsRemovedFromStatusErrorsAndTimeouts() async throws {
    let server = try TestHTTPServer()
    server.route("GET", "/private") { request in
      // Proves the credentials were sent (curl turns userinfo into Basic auth).
      .text("denied", status: request.header("Authorization") == nil ? 500 : 403)
    }
    server.route("GET", "/stall") { _ in
      TestHTTPServer.Response(body: .bytes([1]), delay: .seconds(3))
    }
    var configuration = HTTPClientConfiguration(retryPolicy: .never)
    configuration.timeouts = HTTPTimeouts(total: .milliseconds(200))
    let client = HTTPClient(configuration: configuration)
    let base = "http://robot:s3cr3t-pass@127.0.0.1:\(server.port)"
    let response = try await client.get(URL(string: "\(base)/private")!)
    #expect(response.status == 403)
    do {
      try response.ensureSuccess()
      Issue.record("403 accepted")
    } catch {
      #expect(!error.description.contains("s3cr3t"))
      #expect(error.description.contains("http://<redacted>@127.0.0.1:\(server.port)/private"))
    }
    await #expect {
      try await client.get(URL(string: "\(base)/stall")!)
    } throws: { error in
      "\(error)"
        == "timed out after 200 ms waiting for http://<redacted>@127.0.0.1:\(server.port)/stall"
    }
  }

  @Test func authorizationHeaderNeverAppearsInErrorsOrDescriptions() async throws {
    let port = try FreePort.pick()
    let client = HTTPClient(configuration: HTTPClientConfiguration(retryPolicy: .never))
    let headers: HTTPHeaders = ["Authorization": "Bearer tok-123456", "Accept": "text/plain"]
    await #expect {
      try await client.get(URL(string: "http://127.0.0.1:\(port)/")!, headers: headers)
    } throws: { error in
      !"\(error)".contains("tok-123456") && !String(reflecting: error).contains("tok-123456")
    }
    #expect(headers.description == "Authorization: <redacted>\nAccept: text/plain")
  }

  @Test func requestDescriptionRedactsURLAndHeaders() {
    let request = HTTPRequest(
      method: .put, url: URL(string: "https://ci:pa55word@registry.test/v2/app/blobs/uploads/")!,
      headers: ["Authorization": "Basic Y2k6cGE1NXdvcmQ=", "Content-Type": "application/json"])
    #expect(
      request.description == """
        PUT https://<redacted>@registry.test/v2/app/blobs/uploads/
        Authorization: <redacted>
        Content-Type: application/json
        """)
    #expect(!String(reflecting: request).contains("pa55word"))
    // An "@" after the authority is not userinfo.
    let plain = HTTPRequest(url: URL(string: "https://registry.test/v2/app/manifests/x@sha256:ab")!)
    #expect(plain.description == "GET https://registry.test/v2/app/manifests/x@sha256:ab")
    #expect(!String(reflecting: request).contains("Y2k6cGE1NXdvcmQ="))
  }
}

@Suite struct HTTPHeadersTests {
  @Test func lookupIsCaseInsensitiveAndKeepsRepeats() {
    var headers: HTTPHeaders = ["Content-Type": "text/plain"]
    headers.add("Link", "<a>")
    headers.add("link", "<b>")
    #expect(headers["content-type"] == "text/plain")
    #expect(headers.values(for: "LINK") == ["<a>", "<b>"])
    headers.set("LINK", "<c>")
    #expect(headers.values(for: "link") == ["<c>"])
    headers.remove("content-TYPE")
    #expect(!headers.contains("Content-Type"))
    #expect(headers.count == 1)
  }
}
