import HTTP

/// How a `RegistryClient` talks to its registry.
public struct RegistryClientConfiguration: Sendable {
  /// How the client authenticates: anonymously, with a user and password, a refresh token, or
  /// an Entra ID identity (ACR).
  public var authentication: RegistryAuthentication
  /// The user name and password of `.basic` authentication; nil for the other kinds. Setting it
  /// sets `authentication` (nil: anonymous).
  public var credentials: RegistryCredentials? {
    get {
      if case .basic(let credentials) = authentication { return credentials }
      return nil
    }
    set { authentication = newValue.map(RegistryAuthentication.basic) ?? .anonymous }
  }
  /// Hosts (`host` or `host:port`) reached over plain HTTP besides `localhost` and 127.0.0.0/8,
  /// which always are (as Docker does): `--insecure-registry`.
  public var insecureHosts: Set<String>
  /// Blobs up to this size go in one PUT; larger ones in `PATCH` chunks of this size.
  public var chunkSize: Int
  /// How many times a chunked upload resumes after a broken connection before giving up.
  public var maximumResumes: Int
  /// The HTTP settings (TLS, timeouts, retry policy for 429/5xx, proxy).
  public var http: HTTPClientConfiguration

  /// `authentication`, when given, wins over `credentials`.
  public init(
    credentials: RegistryCredentials? = nil, authentication: RegistryAuthentication? = nil,
    insecureHosts: Set<String> = [], chunkSize: Int = 16 << 20, maximumResumes: Int = 3,
    http: HTTPClientConfiguration = HTTPClientConfiguration()
  ) {
    self.authentication =
      authentication ?? credentials.map(RegistryAuthentication.basic) ?? .anonymous
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
