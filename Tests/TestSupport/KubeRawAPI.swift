import Foundation
import Kube
import YAML

/// Requests the `KubeClient` has no call for, sent with a client's server, TLS settings and
/// credentials: a TokenRequest and a pod binding (POSTs to subresources), a delete with
/// `gracePeriodSeconds`, `/readyz` and `/version`. The real-cluster harness and the pod stand-in
/// need them and the product does not, so they live here rather than in `Kube`.
struct KubeRawAPI: Sendable {
  let configuration: KubeClientConfiguration
  private let transport = KubeHTTPTransport()

  init(configuration: KubeClientConfiguration) {
    self.configuration = configuration
  }

  /// Sends a request and returns the response, whatever its status.
  func send(_ method: String, _ path: String, body: JSONValue? = nil, timeout: Double = 30)
    async throws -> KubeResponse
  {
    var headers: [(name: String, value: String)] = [
      ("Accept", "application/json"), ("User-Agent", "tripgen-test-harness"),
    ]
    if body != nil { headers.append(("Content-Type", "application/json")) }
    if let authorization = try authorization() { headers.append(("Authorization", authorization)) }
    return try await transport.send(
      KubeRequest(
        method: method, url: configuration.server + path, headers: headers,
        body: body.map(KubeJSON.encode), tls: configuration.tls, proxyURL: configuration.proxyURL,
        timeout: timeout))
  }

  /// Sends a request and decodes its JSON answer. An error status throws the `KubeError` the
  /// client would throw, so callers match on `status?.code` the same way.
  @discardableResult
  func json(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
    let response = try await send(method, path, body: body)
    let url = configuration.server + path
    let value = try? KubeJSON.decode(response.body)
    guard (200..<300).contains(response.status) else {
      if let value, var status = KubeAPIStatus(value) {
        if status.code == 0 { status.code = response.status }
        throw KubeError.api(status, method: method, url: url)
      }
      throw KubeError.http(
        code: response.status, method: method, url: url,
        body: String(decoding: response.body.prefix(500), as: UTF8.self))
    }
    guard let value else { throw KubeError.decoding(url: url, reason: "the body is not JSON") }
    return value
  }

  /// The Authorization header for the configured credentials. Exec plugins are not run: the
  /// harness's clusters hand out tokens.
  private func authorization() throws -> String? {
    switch configuration.authentication {
    case .none: return nil
    case .token(let token): return "Bearer \(token)"
    case .tokenFile(let path):
      let token = try String(contentsOfFile: path, encoding: .utf8)
      return "Bearer \(token.trimmingCharacters(in: .whitespacesAndNewlines))"
    case .basic(let username, let password):
      return "Basic \(Data("\(username):\(password)".utf8).base64EncodedString())"
    case .exec:
      throw KubeError.credentials("the test harness's raw requests do not run exec plugins")
    }
  }
}
