/// Settings shared by every request a client makes.
public struct HTTPClientConfiguration: Sendable, Equatable {
  /// Which proxy requests go through.
  public enum Proxy: Sendable, Equatable {
    /// The usual environment variables, read by libcurl for each request: `http_proxy`
    /// (lowercase only: curl ignores `HTTP_PROXY` on purpose, see "httpoxy"), `https_proxy` /
    /// `HTTPS_PROXY`, `all_proxy` / `ALL_PROXY`, and `no_proxy` / `NO_PROXY` for exceptions.
    /// The client sets no proxy option in this case, so nothing overrides them.
    case environment
    /// This proxy (`http://host:port`, `socks5h://host:port`...), whatever the environment says,
    /// as kubeconfig's `proxy-url` asks. Credentials in it are redacted from errors.
    case url(String)
    /// No proxy, whatever the environment says.
    case direct
  }

  /// Which HTTP versions to offer.
  public enum VersionPreference: Sendable, Equatable {
    /// HTTP/2 over TLS when the server offers it (ALPN), HTTP/1.1 otherwise and for plain http.
    case http2OverTLS
    /// HTTP/1.1 only.
    case http11Only
  }

  public var tls: TLSConfiguration
  public var timeouts: HTTPTimeouts
  public var retryPolicy: RetryPolicy
  /// How many redirects to follow; 0 returns 3xx responses to the caller. A custom
  /// `Authorization` header is sent only to the host and port of the original URL (libcurl's
  /// rule since 7.83), never to another host a redirect points at.
  public var maximumRedirects: Int
  public var versionPreference: VersionPreference
  public var userAgent: String
  public var proxy: Proxy

  public init(
    tls: TLSConfiguration = TLSConfiguration(), timeouts: HTTPTimeouts = HTTPTimeouts(),
    retryPolicy: RetryPolicy = .default, maximumRedirects: Int = 10,
    versionPreference: VersionPreference = .http2OverTLS, userAgent: String = "tripgen-deploy",
    proxy: Proxy = .environment
  ) {
    self.tls = tls
    self.timeouts = timeouts
    self.retryPolicy = retryPolicy
    self.maximumRedirects = maximumRedirects
    self.versionPreference = versionPreference
    self.userAgent = userAgent
    self.proxy = proxy
  }
}
