import Foundation
import HTTP
import Synchronization

/// The product's `KubeTransport`: the `HTTP` module's libcurl client, one per set of TLS settings
/// and proxy (a client certificate from an exec plugin changes them), sharing connections between
/// requests. kubeconfig's `proxy-url` becomes the client's proxy; without it, libcurl reads the
/// usual proxy environment variables.
///
/// The HTTP module returns a body once it is complete, so watches poll (see
/// `KubeTransport.streamsResponses`). Retries are the Kube client's (it honours Retry-After and
/// knows which requests are safe), so the HTTP client's own are off.
public final class KubeHTTPTransport: KubeTransport {
  /// A client per TLS identity and proxy: the HTTP module fixes both per client.
  private struct ClientKey: Hashable {
    var tls: KubeTLSSettings
    var proxyURL: String?
  }

  private let clients = Mutex<[ClientKey: HTTPClient]>([:])

  public init() {}

  public var streamsResponses: Bool { false }

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
    let response = try await send(request)
    let (body, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
    continuation.yield(response.body)
    continuation.finish()
    return KubeStreamingResponse(status: response.status, headers: response.headers, body: body)
  }
}
