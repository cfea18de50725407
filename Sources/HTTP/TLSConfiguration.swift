/// How the client verifies servers and proves its own identity over TLS.
public struct TLSConfiguration: Sendable, Equatable {
  /// The certificate authorities trusted to sign server certificates.
  public enum CertificateAuthorities: Sendable, Equatable {
    /// The system bundle (Debian: /etc/ssl/certs/ca-certificates.crt).
    case system
    /// A PEM file holding one or more CA certificates.
    case file(path: String)
    /// PEM text holding one or more CA certificates, as kubeconfig's decoded
    /// `certificate-authority-data` gives it.
    case pem(String)
  }

  /// A client certificate and its private key, both PEM.
  public enum ClientIdentity: Sendable, Equatable {
    case files(certificatePath: String, keyPath: String)
    /// As kubeconfig's decoded `client-certificate-data` and `client-key-data` give them.
    case pem(certificate: String, key: String)
  }

  public var certificateAuthorities: CertificateAuthorities
  public var clientIdentity: ClientIdentity?
  /// The name to expect in the server's certificate and to send as SNI, when it differs from the
  /// URL's host (kubeconfig `tls-server-name`). libcurl 7.88 has no option for this, so the client
  /// puts this name in the URL and uses CURLOPT_CONNECT_TO to connect to the original host and
  /// port. Consequence: the `Host` header and `HTTPResponse.url` carry this name.
  public var serverName: String?
  /// Skips verification of the server's certificate and name. Only for a caller that was told to
  /// (`insecure-skip-tls-verify`); never a default.
  public var skipsVerification: Bool

  public init(
    certificateAuthorities: CertificateAuthorities = .system, clientIdentity: ClientIdentity? = nil,
    serverName: String? = nil, skipsVerification: Bool = false
  ) {
    self.certificateAuthorities = certificateAuthorities
    self.clientIdentity = clientIdentity
    self.serverName = serverName
    self.skipsVerification = skipsVerification
  }
}
