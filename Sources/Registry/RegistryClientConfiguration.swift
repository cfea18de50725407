import HTTP

/// How a `RegistryClient` talks to its registry.
public struct RegistryClientConfiguration: Sendable {
  /// Credentials for basic auth or for the Bearer token service; nil for anonymous access.
  public var credentials: RegistryCredentials?
  /// Hosts (`host` or `host:port`) reached over plain HTTP besides `localhost` and 127.0.0.0/8,
  /// which always are (as Docker does): `--insecure-registry`.
  public var insecureHosts: Set<String>
  /// Blobs up to this size go in one PUT; larger ones in `PATCH` chunks of this size.
  public var chunkSize: Int
  /// How many times a chunked upload resumes after a broken connection before giving up.
  public var maximumResumes: Int
  /// The HTTP settings (TLS, timeouts, retry policy for 429/5xx, proxy).
  public var http: HTTPClientConfiguration

  public init(
    credentials: RegistryCredentials? = nil, insecureHosts: Set<String> = [],
    chunkSize: Int = 16 << 20, maximumResumes: Int = 3,
    http: HTTPClientConfiguration = HTTPClientConfiguration()
  ) {
    self.credentials = credentials
    self.insecureHosts = insecureHosts
    self.chunkSize = max(1, chunkSize)
    self.maximumResumes = maximumResumes
    self.http = http
  }

  /// `http` for loopback hosts and the configured insecure ones, `https` otherwise.
  public func scheme(for registry: String) -> String {
    if insecureHosts.contains(registry) { return "http" }
    let host: Substring
    if registry.hasPrefix("[") {
      host = registry.prefix { $0 != "]" }.dropFirst()
    } else {
      host = registry.prefix { $0 != ":" }
    }
    if insecureHosts.contains(String(host)) { return "http" }
    let octets = host.split(separator: ".", omittingEmptySubsequences: false)
    let isIPv4Loopback =
      octets.count == 4 && octets[0] == "127"
      && octets.allSatisfy { UInt8($0) != nil }
    return host == "localhost" || host == "::1" || isIPv4Loopback ? "http" : "https"
  }
}
