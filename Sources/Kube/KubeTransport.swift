/// How the client reaches the API server: one request at a time, or a streamed response body for
/// watches. The product implements it over the `HTTP` module; tests may supply their own.
public protocol KubeTransport: Sendable {
  /// Sends a request and returns the whole response.
  func send(_ request: KubeRequest) async throws -> KubeResponse
  /// Sends a request and returns the response head with its body as a stream of chunks, for
  /// watches that stay open.
  func stream(_ request: KubeRequest) async throws -> KubeStreamingResponse
  /// Whether `stream` hands over body chunks as they arrive. A transport that can only return a
  /// body once complete says no, and watches then ask the server to end each response after a
  /// few seconds (`timeoutSeconds`) and resume from there: events arrive up to that late.
  var streamsResponses: Bool { get }
}

extension KubeTransport {
  public var streamsResponses: Bool { true }
}

/// One HTTP request to the API server, with the TLS settings of its cluster and user.
public struct KubeRequest: Sendable {
  public var method: String
  /// The absolute URL, query included.
  public var url: String
  /// Header names and values; `Authorization` is among them when the user has a token.
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]?
  public var tls: KubeTLSSettings
  /// Proxy to connect through (`proxy-url` in kubeconfig), or nil.
  public var proxyURL: String?
  /// Seconds before the transport gives up on the whole request; nil for watches.
  public var timeout: Double?

  public init(
    method: String, url: String, headers: [(name: String, value: String)] = [],
    body: [UInt8]? = nil,
    tls: KubeTLSSettings = KubeTLSSettings(), proxyURL: String? = nil, timeout: Double? = 30
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.tls = tls
    self.proxyURL = proxyURL
    self.timeout = timeout
  }

  /// The value of a header, by case-insensitive name.
  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }
}

/// TLS material for a request: whom to trust, whom to present.
public struct KubeTLSSettings: Sendable, Hashable {
  /// PEM certificates of the CAs that sign the server's certificate; nil trusts the system's.
  public var certificateAuthorityPEM: [UInt8]?
  /// Skip verifying the server's certificate (`insecure-skip-tls-verify`).
  public var insecureSkipVerify: Bool
  /// The name to verify the server's certificate against, when not the URL's host.
  public var serverName: String?
  /// Client certificate and key (PEM) to present.
  public var clientCertificatePEM: [UInt8]?
  public var clientKeyPEM: [UInt8]?

  public init(
    certificateAuthorityPEM: [UInt8]? = nil, insecureSkipVerify: Bool = false,
    serverName: String? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil
  ) {
    self.certificateAuthorityPEM = certificateAuthorityPEM
    self.insecureSkipVerify = insecureSkipVerify
    self.serverName = serverName
    self.clientCertificatePEM = clientCertificatePEM
    self.clientKeyPEM = clientKeyPEM
  }
}

/// A complete response.
public struct KubeResponse: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]

  public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }
}

/// A response whose body arrives as it is written.
public struct KubeStreamingResponse: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]
  /// The body in chunks as they arrive; it ends when the server closes the response.
  public var body: AsyncThrowingStream<[UInt8], any Error>

  public init(
    status: Int, headers: [(name: String, value: String)],
    body: AsyncThrowingStream<[UInt8], any Error>
  ) {
    self.status = status
    self.headers = headers
    self.body = body
  }
}
