import Foundation
import YAML

/// A Kubernetes API client for unstructured objects (`JSONValue`), following the API conventions
/// so that it works unchanged against a real cluster: discovery-based resource mapping,
/// server-side apply, optimistic concurrency, paginated lists, resumable watches, Status errors,
/// a client-side rate limit and retries of throttled requests.
public final class KubeClient: Sendable {
  public let configuration: KubeClientConfiguration
  let transport: any KubeTransport
  let credentials: KubeCredentialSource
  let limiter: KubeRateLimiter
  let discovery: KubeDiscoveryCache
  /// How many times a throttled (429) request is sent again before its error is returned.
  public let maxRetries: Int

  public init(
    configuration: KubeClientConfiguration, transport: any KubeTransport, maxRetries: Int = 5
  ) {
    self.configuration = configuration
    self.transport = transport
    self.maxRetries = maxRetries
    credentials = KubeCredentialSource(
      authentication: configuration.authentication, cluster: configuration.cluster)
    limiter = KubeRateLimiter(
      queriesPerSecond: configuration.queriesPerSecond, burst: configuration.burst)
    discovery = KubeDiscoveryCache()
  }

  /// How many times the exec credential plugin has run (the credential is cached until it expires).
  public var execPluginRuns: Int {
    get async { await credentials.execRuns }
  }

  /// A request ready to send: URL, headers with credentials, TLS settings.
  func prepare(
    method: String, path: String, query: [(String, String)], body: [UInt8]?, contentType: String?,
    timeout: Double?
  ) async throws -> KubeRequest {
    var url = configuration.server + path
    if !query.isEmpty {
      url +=
        "?"
        + query.map { "\(KubePath.escape($0.0))=\(KubePath.escape($0.1))" }.joined(separator: "&")
    }
    let credentials = try await self.credentials.credentials()
    var headers: [(name: String, value: String)] = [
      ("Accept", "application/json"), ("User-Agent", configuration.userAgent),
    ]
    if let contentType { headers.append(("Content-Type", contentType)) }
    if let authorization = credentials.authorization {
      headers.append(("Authorization", authorization))
    }
    var tls = configuration.tls
    if let certificate = credentials.clientCertificatePEM, let key = credentials.clientKeyPEM {
      tls.clientCertificatePEM = certificate
      tls.clientKeyPEM = key
    }
    return KubeRequest(
      method: method, url: url, headers: headers, body: body, tls: tls,
      proxyURL: configuration.proxyURL, timeout: timeout)
  }

  /// Sends a request under the rate limit; retries 429s (and 5xx answers carrying Retry-After)
  /// after the wait the server asks for, and a 401 once with fresh credentials.
  func send(
    method: String, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
    contentType: String? = nil
  ) async throws -> KubeResponse {
    var attempt = 0
    var refreshedCredentials = false
    while true {
      try await limiter.acquire()
      let request = try await prepare(
        method: method, path: path, query: query, body: body, contentType: contentType,
        timeout: configuration.timeout)
      let response: KubeResponse
      do {
        response = try await transport.send(request)
      } catch {
        if error is CancellationError { throw error }
        // A GET that lost its connection (a reset, a load balancer closing idle connections) is
        // sent again, as client-go does; other methods may have been applied and are not.
        if method == "GET", attempt < maxRetries {
          attempt += 1
          try await Task.sleep(for: .milliseconds(Int64(100 * attempt)))
          continue
        }
        if let error = error as? KubeError { throw error }
        throw KubeError.transport(method: method, url: request.url, reason: "\(error)")
      }
      if response.status == 401, !refreshedCredentials, await credentials.invalidate() {
        refreshedCredentials = true
        continue
      }
      let retryAfter = response.header("Retry-After").flatMap {
        Double($0.trimmingCharacters(in: .whitespaces))
      }
      let throttled = response.status == 429 || (response.status >= 500 && retryAfter != nil)
      if throttled, attempt < maxRetries {
        attempt += 1
        // Retry-After is what the server asks; without it, back off exponentially from 0.5 s.
        let wait = min(retryAfter ?? 0.5 * pow(2, Double(attempt - 1)), 30)
        try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
        continue
      }
      guard (200..<300).contains(response.status) else {
        throw Self.error(for: response, method: method, url: request.url)
      }
      return response
    }
  }

  static func error(for response: KubeResponse, method: String, url: String) -> KubeError {
    if let value = try? KubeJSON.decode(response.body), var status = KubeAPIStatus(value) {
      if status.code == 0 { status.code = response.status }
      return .api(status, method: method, url: url)
    }
    return .http(
      code: response.status, method: method, url: url,
      body: String(decoding: response.body.prefix(500), as: UTF8.self))
  }

  /// Sends a request and decodes its JSON answer.
  func sendJSON(
    method: String, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
    contentType: String? = nil
  ) async throws -> (JSONValue, Int) {
    let response = try await send(
      method: method, path: path, query: query, body: body, contentType: contentType)
    do {
      return (try KubeJSON.decode(response.body), response.status)
    } catch {
      throw KubeError.decoding(url: configuration.server + path, reason: "\(error)")
    }
  }
}
