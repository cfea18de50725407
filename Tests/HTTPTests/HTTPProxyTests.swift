import Foundation
import HTTP
import TestSupport
import Testing

/// An explicit proxy. (The default, proxies from the environment, is libcurl's own reading of
/// http_proxy and friends; it is not tested here because changing the environment of the test
/// process would race with the tests running in parallel.)
@Suite struct HTTPProxyTests {
  @Test func requestsGoThroughTheConfiguredProxy() async throws {
    // The in-process server plays the proxy: a request through a proxy carries the absolute URL
    // as its target, which the server sees as the path. origin.test is never resolved: the
    // proxy is asked for it.
    let proxy = try TestHTTPServer()
    proxy.route("GET", "http://origin.test/resource") { request in
      .text("proxied for \(request.header("Host") ?? "?")")
    }
    let client = HTTPClient(
      configuration: HTTPClientConfiguration(
        retryPolicy: .never, proxy: .url("http://127.0.0.1:\(proxy.port)")))
    let response = try await client.get(URL(string: "http://origin.test/resource")!)
    #expect(response.text == "proxied for origin.test")
    #expect(proxy.requests.count == 1)
  }

  @Test func unreachableProxyIsReportedWithoutItsCredentials() async throws {
    let port = try FreePort.pick()
    let client = HTTPClient(
      configuration: HTTPClientConfiguration(
        retryPolicy: .never, proxy: .url("http://user:proxy-pass@127.0.0.1:\(port)")))
    await #expect {
      try await client.get(URL(string: "http://origin.test/")!)
    } throws: { error in
      guard case .proxyFailed = error as? HTTPError else { return false }
      return "\(error)"
        == "the proxy for http://origin.test/ failed: couldn't connect to proxy "
        + "http://<redacted>@127.0.0.1:\(port): connection refused "
        + "(check http_proxy, https_proxy, no_proxy)"
    }
  }
}
