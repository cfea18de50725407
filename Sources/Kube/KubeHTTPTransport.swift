import Foundation
import HTTP
import Synchronization

/// The product's `KubeTransport`: the `HTTP` module's libcurl client, one per set of TLS settings
/// and proxy (a client certificate from an exec plugin changes them), sharing connections between
/// requests. kubeconfig's `proxy-url` becomes the client's proxy; without it, libcurl reads the
/// usual proxy environment variables.
///
/// Watches stream: `stream` returns at the response head and hands over body chunks as libcurl
/// receives them, pausing the transfer while the reader is behind; it has no total timeout and
/// no low-speed limit (a watch may stay silent for minutes), the server ends it after the
/// watch's `timeoutSeconds`. Retries are the Kube client's (it honours Retry-After and knows
/// which requests are safe), so the HTTP client's own are off.
public final class KubeHTTPTransport: KubeTransport {
  /// A client per TLS identity and proxy: the HTTP module fixes both per client.
  private struct ClientKey: Hashable {
    var tls: KubeTLSSettings
    var proxyURL: String?
  }

  private let clients = Mutex<[ClientKey: HTTPClient]>([:])

  public init() {}

  private func client(for tls: KubeTLSSettings, proxyURL: String?) -> HTTPClient {
    let key = ClientKey(tls: tls, proxyURL: proxyURL)
    return clients.withLock { clients in
      if let client = clients[key] { return client }
      var identity: TLSConfiguration.ClientIdentity?
      if let certificate = tls.clientCertificatePEM, let key = tls.clientKeyPEM {
        identity = .pem(
          certificate: String(decoding: certificate, as: UTF8.self),
          key: String(decoding: key, as: UTF8.self))
      }
      let configuration = HTTPClientConfiguration(
        tls: TLSConfiguration(
          certificateAuthorities: tls.certificateAuthorityPEM.map {
            .pem(String(decoding: $0, as: UTF8.self))
          }
            ?? .system,
          clientIdentity: identity, serverName: tls.serverName,
          skipsVerification: tls.insecureSkipVerify),
        timeouts: HTTPTimeouts(connect: .seconds(10), total: nil), retryPolicy: .never,
        proxy: proxyURL.map { .url($0) } ?? .environment)
      let client = HTTPClient(configuration: configuration)
      clients[key] = client
      return client
    }
  }

  public func send(_ request: KubeRequest) async throws -> KubeResponse {
    let httpRequest = try Self.httpRequest(for: request)
    do {
      let response = try await client(for: request.tls, proxyURL: request.proxyURL).execute(
        httpRequest)
      return KubeResponse(
        status: response.status, headers: response.headers.map { (name: $0.name, value: $0.value) },
        body: Array(response.body))
    } catch let error as HTTPError {
      throw KubeError.transport(method: request.method, url: request.url, reason: error.description)
    }
  }

  public func stream(_ request: KubeRequest) async throws -> KubeStreamingResponse {
    var httpRequest = try Self.httpRequest(for: request)
    // Silence is normal on a watch; a dead connection shows as the server's timeout passing.
    httpRequest.timeouts?.lowSpeed = nil
    let response: HTTPStreamingResponse
    do {
      response = try await client(for: request.tls, proxyURL: request.proxyURL).stream(httpRequest)
    } catch let error as HTTPError {
      throw KubeError.transport(method: request.method, url: request.url, reason: error.description)
    }
    let chunks = ChunkReader(iterator: response.body.makeAsyncIterator())
    let body = AsyncThrowingStream<[UInt8], any Error> {
      do {
        return try await chunks.next()
      } catch let error as HTTPError {
        throw KubeError.transport(
          method: request.method, url: request.url, reason: error.description)
      }
    }
    return KubeStreamingResponse(
      status: response.status, headers: response.headers.map { (name: $0.name, value: $0.value) },
      body: body)
  }

  private static func httpRequest(for request: KubeRequest) throws -> HTTPRequest {
    guard let url = URL(string: request.url) else {
      throw KubeError.transport(method: request.method, url: request.url, reason: "not a valid URL")
    }
    var headers = HTTPHeaders()
    for header in request.headers { headers.add(header.name, header.value) }
    var httpRequest = HTTPRequest(
      method: HTTPMethod(rawValue: request.method), url: url, headers: headers,
      body: request.body.map { .bytes(Data($0)) } ?? .empty)
    httpRequest.retryPolicy = .never
    httpRequest.timeouts = HTTPTimeouts(
      connect: .seconds(10), total: request.timeout.map { .milliseconds(Int64($0 * 1000)) })
    return httpRequest
  }
}

/// The iterator of a streamed body, for `AsyncThrowingStream(unfolding:)`, which calls it from
/// one task at a time.
private final class ChunkReader: @unchecked Sendable {
  private var iterator: HTTPResponseBody.Iterator

  init(iterator: HTTPResponseBody.Iterator) { self.iterator = iterator }

  func next() async throws -> [UInt8]? { try await iterator.next() }
}
