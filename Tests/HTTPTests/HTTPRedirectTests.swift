import Foundation
import HTTP
import TestSupport
import Testing

@Suite struct HTTPRedirectTests {
  let server: TestHTTPServer
  let client = HTTPClient()

  init() throws {
    server = try TestHTTPServer()
    server.route("GET", "/target") { request in
      .text("authorization=\(request.header("Authorization") ?? "none")")
    }
  }

  @Test func followsRelativeAndAbsoluteRedirects() async throws {
    server.route("GET", "/relative") { _ in .redirect(to: "/absolute") }
    let absolute = server.url("/target").absoluteString
    server.route("GET", "/absolute") { _ in .redirect(to: absolute, status: 301) }
    let response = try await client.get(server.url("/relative"))
    #expect(response.status == 200)
    #expect(response.url == server.url("/target"))
    #expect(server.requests.map(\.path) == ["/relative", "/absolute", "/target"])
  }

  @Test func stopsAfterTheLimit() async throws {
    server.route("GET", "/loop") { _ in .redirect(to: "/loop") }
    let limited = HTTPClient(configuration: HTTPClientConfiguration(maximumRedirects: 3))
    await #expect {
      try await limited.get(server.url("/loop"))
    } throws: { error in
      guard case .tooManyRedirects(3, let url) = error as? HTTPError else { return false }
      return url == server.url("/loop").absoluteString
        && "\(error)" == "more than 3 redirects, starting from \(server.url("/loop"))"
    }
    // The first request and three redirects were followed.
    #expect(server.requestCount(path: "/loop") == 4)
  }

  @Test func withoutFollowingTheRedirectResponseIsReturned() async throws {
    server.route("GET", "/moved") { _ in .redirect(to: "/target") }
    let client = HTTPClient(configuration: HTTPClientConfiguration(maximumRedirects: 0))
    let response = try await client.get(server.url("/moved"))
    #expect(response.status == 302)
    #expect(response.headers["Location"] == "/target")
  }

  @Test func authorizationIsKeptOnTheSameHost() async throws {
    server.route("GET", "/same-host") { _ in .redirect(to: "/target") }
    let response = try await client.get(
      server.url("/same-host"), headers: ["Authorization": "Bearer secret-token"])
    #expect(response.text == "authorization=Bearer secret-token")
  }

  @Test func authorizationIsDroppedOnARedirectToAnotherHost() async throws {
    // 127.0.0.1 redirects to localhost on another port: another origin, which must not get the
    // credentials (libcurl drops custom Authorization unless CURLOPT_UNRESTRICTED_AUTH).
    let other = try TestHTTPServer()
    other.route("GET", "/target") { request in
      .text("authorization=\(request.header("Authorization") ?? "none")")
    }
    server.route("GET", "/cross-host") { _ in
      .redirect(to: "http://localhost:\(other.port)/target")
    }
    let response = try await client.get(
      server.url("/cross-host"), headers: ["Authorization": "Bearer secret-token"])
    #expect(response.text == "authorization=none")
    #expect(response.url.host() == "localhost")
    #expect(server.requests.first?.header("Authorization") == "Bearer secret-token")
  }

  @Test func uploadFromFileIsResentAfterA307() async throws {
    let directory = try TemporaryDirectory()
    let source = directory.file("body.txt")
    try Data("file body".utf8).write(to: source)
    server.route("PUT", "/old") { _ in .redirect(to: "/new", status: 307) }
    server.route("PUT", "/new") { request in .text("got \(request.bodyText)") }
    let response = try await client.send(.file(path: source.path), to: server.url("/old"))
    #expect(response.text == "got file body")
  }
}
