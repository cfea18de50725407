/// How to authenticate to a remote and how to check who it is.
///
/// Secrets are held in memory only, are offered to libgit2 through its credentials callback, and are
/// never part of any description: `description` names which kinds of credentials are set, not their values.
public struct GitCredentials: Sendable, CustomStringConvertible {
  /// The user name for HTTP(S) or SSH. For a token, any user name works on GitHub; when none is given,
  /// `x-access-token` is used.
  public var username: String?
  /// The HTTP(S) password or token.
  public var password: String?
  /// A private key file for SSH; its public key is derived by libssh2.
  public var sshPrivateKey: String?
  /// The passphrase of `sshPrivateKey`, when it is encrypted.
  public var sshPassphrase: String?
  /// The known_hosts file that SSH host keys are checked against. SSH connections fail without one:
  /// there is no trust on first use.
  public var knownHosts: String?
  /// A PEM file of CA certificates that HTTPS servers are verified against, instead of the system's.
  /// libgit2 holds this process-wide: all HTTPS remotes in one process share one CA file.
  public var certificateAuthorityFile: String?

  public init(
    username: String? = nil, password: String? = nil, sshPrivateKey: String? = nil,
    sshPassphrase: String? = nil, knownHosts: String? = nil, certificateAuthorityFile: String? = nil
  ) {
    self.username = username
    self.password = password
    self.sshPrivateKey = sshPrivateKey
    self.sshPassphrase = sshPassphrase
    self.knownHosts = knownHosts
    self.certificateAuthorityFile = certificateAuthorityFile
  }

  /// Credentials for a token over HTTPS (a GitHub token works with any user name).
  public static func token(_ token: String, username: String? = nil) -> GitCredentials {
    GitCredentials(username: username, password: token)
  }

  /// The secrets, for masking them in messages that libgit2 produced.
  var secrets: [String] { [password, sshPassphrase].compactMap { $0 } }

  /// Fills what the URL carried and these credentials do not.
  func merged(with url: RemoteURL) -> GitCredentials {
    var merged = self
    if merged.username == nil { merged.username = url.username }
    if merged.password == nil { merged.password = url.password }
    return merged
  }

  public var description: String {
    var parts: [String] = []
    if let username { parts.append("user \(username)") }
    if password != nil { parts.append("password set") }
    if let sshPrivateKey { parts.append("ssh key \(sshPrivateKey)") }
    if sshPassphrase != nil { parts.append("passphrase set") }
    if let knownHosts { parts.append("known_hosts \(knownHosts)") }
    if let certificateAuthorityFile { parts.append("CA file \(certificateAuthorityFile)") }
    return parts.isEmpty ? "no credentials" : parts.joined(separator: ", ")
  }
}
