/// Why a request failed, in cases a caller can match and words a person can act on.
///
/// URLs in these values have credentials removed (`https://<redacted>@host/...`); header values
/// never appear.
public enum HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Which limit a request ran into.
  public enum TimeoutKind: Sendable, Equatable {
    /// Connecting, TLS handshake included.
    case connect
    /// The whole request.
    case total
    /// The transfer moved fewer than `bytesPerSecond` bytes per second for the limit's duration.
    case lowSpeed(bytesPerSecond: Int)
  }

  /// What went wrong in TLS.
  public enum TLSFailureKind: Sendable, Equatable {
    /// The server's certificate does not chain to a trusted CA, or does not name the host.
    case serverCertificateNotTrusted
    /// The configured CA certificates could not be read.
    case invalidCertificateAuthorities
    /// The configured client certificate or key could not be used.
    case invalidClientIdentity
    /// The handshake failed, for example because the server wanted a client certificate.
    case handshakeFailed
  }

  /// The URL cannot be used (bad syntax, unsupported scheme).
  case invalidURL(String, reason: String)
  /// The request could not be set up (an option libcurl refused).
  case invalidRequest(url: String, reason: String)
  /// The host name did not resolve.
  case hostNotFound(host: String, url: String)
  /// No connection could be made to `host:port`; `reason` is the system's, such as "connection
  /// refused". `host` and `port` are the URL's (after redirects): libcurl 7.88 does not report
  /// which address it tried, so a proxy taken from the environment is not named.
  case connectFailed(host: String, port: Int, reason: String, url: String)
  /// A time limit ran out.
  case timedOut(TimeoutKind, after: Duration, url: String)
  /// TLS failed with `host`; `detail` is libcurl's explanation.
  case tlsFailure(TLSFailureKind, host: String, detail: String)
  /// The server redirected more than `limit` times.
  case tooManyRedirects(limit: Int, url: String)
  /// The connection broke or the server's reply was cut short or malformed.
  case connectionLost(url: String, detail: String)
  /// The proxy from the environment could not be used.
  case proxyFailed(url: String, detail: String)
  /// A body file could not be read or written.
  case fileError(path: String, operation: String, reason: String)
  /// The server answered with a status the caller did not accept (`HTTPResponse.ensureSuccess`).
  case unexpectedStatus(status: Int, url: String, attempts: Int, bodyExcerpt: String)
  /// The client was shut down while the request was in flight.
  case cancelled(url: String)
  /// Every attempt the retry policy allowed failed; `lastError` is the final failure.
  indirect case retriesExhausted(attempts: Int, lastError: HTTPError)
  /// Any other transfer failure; `detail` is libcurl's explanation.
  case transferFailed(url: String, detail: String)

  /// Whether the failure happened at the connection level, where another attempt may succeed:
  /// resolving, connecting (timeouts included), or the connection breaking mid-transfer.
  public var isConnectionError: Bool {
    switch self {
    case .hostNotFound, .connectFailed, .connectionLost, .proxyFailed: return true
    case .timedOut(let kind, _, _): return kind == .connect
    default: return false
    }
  }

  /// The error behind any `retriesExhausted` wrapping.
  public var rootCause: HTTPError {
    if case .retriesExhausted(_, let last) = self { return last.rootCause }
    return self
  }

  public var description: String {
    switch self {
    case .invalidURL(let url, let reason):
      return "invalid URL \(url): \(reason)"
    case .invalidRequest(let url, let reason):
      return "couldn't set up the request to \(url): \(reason)"
    case .hostNotFound(let host, let url):
      return "couldn't resolve host \(host) (for \(url)): check the name and the DNS configuration"
    case .connectFailed(let host, let port, let reason, _):
      return "couldn't connect to \(host):\(port): \(reason)"
    case .timedOut(.connect, let after, let url):
      return "timed out after \(after.spoken) connecting to \(url)"
    case .timedOut(.total, let after, let url):
      return "timed out after \(after.spoken) waiting for \(url)"
    case .timedOut(.lowSpeed(let bytesPerSecond), let after, let url):
      return
        "transfer with \(url) stalled: less than \(bytesPerSecond) bytes/s for \(after.spoken)"
    case .tlsFailure(.serverCertificateNotTrusted, let host, let detail):
      return "TLS certificate of \(host) not trusted: \(detail) "
        + "(configure the CA that signed it in TLSConfiguration.certificateAuthorities)"
    case .tlsFailure(.invalidCertificateAuthorities, let host, let detail):
      return "couldn't load the CA certificates to verify \(host): \(detail)"
    case .tlsFailure(.invalidClientIdentity, let host, let detail):
      return "couldn't use the client certificate or key for \(host): \(detail)"
    case .tlsFailure(.handshakeFailed, let host, let detail):
      return "TLS handshake with \(host) failed: \(detail) "
        + "(does the server require a client certificate?)"
    case .tooManyRedirects(let limit, let url):
      return "more than \(limit) redirects, starting from \(url)"
    case .connectionLost(let url, let detail):
      return "connection lost during the request to \(url): \(detail)"
    case .proxyFailed(let url, let detail):
      return "the proxy for \(url) failed: \(detail) (check http_proxy, https_proxy, no_proxy)"
    case .fileError(let path, let operation, let reason):
      return "couldn't \(operation) \(path): \(reason)"
    case .unexpectedStatus(let status, let url, let attempts, let excerpt):
      let tries = attempts > 1 ? " after \(attempts) attempts" : ""
      let body = excerpt.isEmpty ? "" : ": \(excerpt)"
      return "HTTP \(status) from \(url)\(tries)\(body)"
    case .cancelled(let url):
      return "request to \(url) cancelled: the HTTP client was shut down"
    case .retriesExhausted(let attempts, let lastError):
      return "gave up after \(attempts) attempts: \(lastError)"
    case .transferFailed(let url, let detail):
      return "request to \(url) failed: \(detail)"
    }
  }
}
