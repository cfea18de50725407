import CGit2
import Synchronization

/// A flag a task's cancellation handler sets and libgit2's progress callback reads, to stop a transfer.
final class CancellationFlag: Sendable {
  private let value = Atomic<Bool>(false)
  func cancel() { value.store(true, ordering: .relaxed) }
  var isCancelled: Bool { value.load(ordering: .relaxed) }
}

/// The state libgit2's remote callbacks work with during one connection: the credentials to offer, how
/// many times they were offered, the known_hosts check, and the typed error to report when a callback
/// refused. Used only on the repository's queue, for the duration of one libgit2 call.
final class RemoteSession {
  let remote: RemoteURL
  let credentials: GitCredentials
  let cancellation: CancellationFlag
  /// The typed error a callback decided on; it explains the failure better than libgit2's generic one.
  var failure: GitError?
  var credentialOffers = 0
  var receivedObjects = 0
  var receivedBytes = 0

  init(remote: RemoteURL, credentials: GitCredentials, cancellation: CancellationFlag) {
    self.remote = remote
    self.credentials = credentials.merged(with: remote)
    self.cancellation = cancellation
  }

  /// The typed error for a failed libgit2 call made with this session's callbacks.
  func error(_ code: Int32, _ operation: String) -> GitError {
    failure ?? LibGit2.error(code, operation, secrets: credentials.secrets)
  }

  /// Callbacks bound to this session; the session must outlive every libgit2 call they are given to.
  func callbacks() -> git_remote_callbacks {
    var callbacks = git_remote_callbacks()
    git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
    callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
    callbacks.credentials = { out, _, usernameFromURL, allowedTypes, payload in
      let session = Unmanaged<RemoteSession>.fromOpaque(payload!).takeUnretainedValue()
      return session.offerCredentials(
        out!, usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowed: allowedTypes)
    }
    callbacks.certificate_check = { certificate, valid, host, payload in
      let session = Unmanaged<RemoteSession>.fromOpaque(payload!).takeUnretainedValue()
      return session.checkCertificate(
        certificate!, valid: valid != 0, host: host.map { String(cString: $0) } ?? "")
    }
    callbacks.transfer_progress = { progress, payload in
      let session = Unmanaged<RemoteSession>.fromOpaque(payload!).takeUnretainedValue()
      session.receivedObjects = Int(progress!.pointee.received_objects)
      session.receivedBytes = Int(progress!.pointee.received_bytes)
      return session.stopIfCancelled()
    }
    callbacks.sideband_progress = { _, _, payload in
      Unmanaged<RemoteSession>.fromOpaque(payload!).takeUnretainedValue().stopIfCancelled()
    }
    return callbacks
  }

  private func stopIfCancelled() -> Int32 {
    guard cancellation.isCancelled else { return 0 }
    failure = .cancelled(operation: "fetching \(remote)")
    return GIT_EUSER.rawValue
  }

  /// libgit2 calls this again after the server rejects what was offered, so a second offer means the
  /// first was refused: report that instead of offering the same secret forever.
  private func offerCredentials(
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, usernameFromURL: String?,
    allowed: UInt32
  ) -> Int32 {
    let username = credentials.username ?? usernameFromURL
    if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
      guard let key = credentials.sshPrivateKey else {
        failure = .authenticationRequired(url: remote.url)
        return GIT_EUSER.rawValue
      }
      credentialOffers += 1
      guard credentialOffers == 1 else {
        failure = .authenticationFailed(url: remote.url, method: "SSH key \(key)")
        return GIT_EUSER.rawValue
      }
      return git_credential_ssh_key_new(
        out, username ?? "git", nil, key, credentials.sshPassphrase)
    }
    if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
      return git_credential_username_new(out, username ?? "git")
    }
    if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
      guard let password = credentials.password else {
        failure = .authenticationRequired(url: remote.url)
        return GIT_EUSER.rawValue
      }
      credentialOffers += 1
      guard credentialOffers == 1 else {
        let method = credentials.username == nil ? "token" : "username and password"
        failure = .authenticationFailed(url: remote.url, method: method)
        return GIT_EUSER.rawValue
      }
      return git_credential_userpass_plaintext_new(out, username ?? "x-access-token", password)
    }
    failure = .libgit2(
      operation: "fetching \(remote)",
      message: "the server asks for an authentication method tripgen does not offer "
        + "(allowed types \(allowed)); use a token, a password or an SSH key",
      code: GIT_EAUTH.rawValue)
    return GIT_EUSER.rawValue
  }

  /// SSH host keys are checked against known_hosts here; there is no trust on first use. TLS
  /// certificates are left to libgit2's own verification (against the system's or the configured CAs).
  private func checkCertificate(
    _ certificate: UnsafeMutablePointer<git_cert>, valid: Bool, host: String
  ) -> Int32 {
    guard certificate.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
      return GIT_PASSTHROUGH.rawValue
    }
    let hostKey = UnsafeMutableRawPointer(certificate).assumingMemoryBound(
      to: git_cert_hostkey.self
    )
    .pointee
    let name = KnownHosts.lookupName(host: host, port: remote.port)
    guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey else {
      failure = .libgit2(
        operation: "checking the SSH host key of \(name)",
        message: "libssh2 did not provide the raw host key", code: GIT_ECERTIFICATE.rawValue)
      return GIT_EUSER.rawValue
    }
    let key = Array(UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len))
    let fingerprint = withUnsafeBytes(of: hostKey.hash_sha256) {
      KnownHosts.fingerprint(sha256: Array($0))
    }
    let keyType = KnownHosts.keyType(ofBlob: key)
    guard let path = credentials.knownHosts else {
      failure = .knownHostsMissing(host: name)
      return GIT_EUSER.rawValue
    }
    let knownHosts: KnownHosts
    do {
      knownHosts = try KnownHosts(path: path)
    } catch {
      failure = error
      return GIT_EUSER.rawValue
    }
    switch knownHosts.verdict(name: name, key: key) {
    case .trusted:
      return 0
    case .unknown:
      failure = .unknownHostKey(
        host: name, keyType: keyType, fingerprint: fingerprint, knownHosts: path)
    case .mismatch, .revoked:
      failure = .hostKeyMismatch(
        host: name, keyType: keyType, fingerprint: fingerprint, knownHosts: path)
    }
    return GIT_EUSER.rawValue
  }
}
