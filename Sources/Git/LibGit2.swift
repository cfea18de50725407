import CGit2
import Synchronization

/// Process-wide libgit2 state: initialisation, happening exactly once, and the options that libgit2 only
/// offers process-wide.
enum LibGit2 {
  /// `git_libgit2_init` runs once, the first time any Git API is used; libgit2 stays initialised for the
  /// life of the process (shutting it down while another task uses it would be unsafe).
  private static let initialised: Void = {
    git_libgit2_init()
    // A reconciler must not depend on the host's ~/.gitconfig or /etc/gitconfig (URL rewrites, proxies,
    // credential helpers that libgit2 does not run anyway): read only the repository's own config.
    for level in [GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL] {
      tripgen_git_set_search_path(level, "")
    }
  }()

  static func ensureInitialised() { _ = initialised }

  /// The CA file HTTPS transports trust, when one was set: libgit2 keeps a single, process-wide CA
  /// configuration, so two different CA files in one process are refused rather than silently swapped.
  private static let certificateAuthorityFile = Mutex<String?>(nil)

  static func useCertificateAuthorityFile(_ path: String) throws(GitError) {
    ensureInitialised()
    try certificateAuthorityFile.withLock { (current: inout String?) throws(GitError) in
      if current == path { return }
      if let current {
        throw GitError.refused(
          operation: "using CA file \(path)",
          reason:
            "this process already trusts CA file \(current); libgit2 holds one CA configuration per "
            + "process, so use one CA file (concatenate them) for all HTTPS remotes")
      }
      let code = tripgen_git_set_ssl_cert_locations(path, nil)
      if code < 0 { throw LibGit2.error(code, "using CA file \(path)") }
      current = path
    }
  }

  /// The typed error for a failed libgit2 call: libgit2's last error message for this thread, with what
  /// was being done. `secrets` are masked in the message in case a transport echoed one.
  static func error(_ code: Int32, _ operation: String, secrets: [String] = []) -> GitError {
    var message = "unknown libgit2 error (code \(code))"
    if let last = git_error_last(), let text = last.pointee.message {
      message = String(cString: text)
    }
    for secret in secrets where !secret.isEmpty {
      message = message.replacing(secret, with: "***")
    }
    return .libgit2(operation: operation, message: message, code: code)
  }

  /// Throws the typed error when a libgit2 call returned a negative code.
  static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitError) {
    if code < 0 { throw error(code, operation()) }
  }
}
