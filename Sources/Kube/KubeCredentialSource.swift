import Foundation

/// The credentials for each request: a fixed token, a token file re-read once a minute (as
/// client-go's cached token source does), or an exec plugin's credential cached until it expires.
actor KubeCredentialSource {
  struct Credentials: Sendable {
    var authorization: String?
    var clientCertificatePEM: [UInt8]?
    var clientKeyPEM: [UInt8]?
  }

  private let authentication: KubeAuthentication
  private let cluster: KubeConfig.Cluster?
  private var cachedFileToken: (token: String, readAt: Date)?
  private var cachedExec: KubeExecCredential?
  private var running: Task<KubeExecCredential, any Error>?
  /// How many times the exec plugin ran, for tests of the cache.
  private(set) var execRuns = 0

  init(authentication: KubeAuthentication, cluster: KubeConfig.Cluster?) {
    self.authentication = authentication
    self.cluster = cluster
  }

  func credentials() async throws -> Credentials {
    switch authentication {
    case .none:
      return Credentials()
    case .token(let token):
      return Credentials(authorization: "Bearer \(token)")
    case .basic(let username, let password):
      let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
      return Credentials(authorization: "Basic \(encoded)")
    case .tokenFile(let path):
      if let cached = cachedFileToken, Date().timeIntervalSince(cached.readAt) < 60 {
        return Credentials(authorization: "Bearer \(cached.token)")
      }
      guard let data = FileManager.default.contents(atPath: path) else {
        throw KubeError.credentials("cannot read the token file \(path)")
      }
      let token = String(decoding: data, as: UTF8.self).trimmingCharacters(
        in: .whitespacesAndNewlines)
      cachedFileToken = (token, Date())
      return Credentials(authorization: "Bearer \(token)")
    case .exec(let config):
      let credential = try await execCredential(config)
      return Credentials(
        authorization: credential.token.map { "Bearer \($0)" },
        clientCertificatePEM: credential.clientCertificatePEM, clientKeyPEM: credential.clientKeyPEM
      )
    }
  }

  /// Forgets cached credentials after the server answered 401, so the next request runs the
  /// plugin (or reads the file) again. Returns whether anything could change.
  func invalidate() -> Bool {
    switch authentication {
    case .exec:
      cachedExec = nil
      return true
    case .tokenFile:
      cachedFileToken = nil
      return true
    default:
      return false
    }
  }

  private func execCredential(_ config: KubeExecConfig) async throws -> KubeExecCredential {
    // A credential is renewed shortly before it expires, not after a request failed with it.
    if let cached = cachedExec, cached.expiration.map({ $0.timeIntervalSinceNow > 10 }) ?? true {
      return cached
    }
    if let running { return try await running.value }
    let cluster = cluster
    let task = Task { try await KubeExecCredentialPlugin.run(config, cluster: cluster) }
    running = task
    defer { running = nil }
    execRuns += 1
    let credential = try await task.value
    cachedExec = credential
    return credential
  }
}
