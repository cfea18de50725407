/// Everything that can go wrong in the Git module. Every libgit2 failure becomes one of these, with
/// libgit2's own message and what was being done. URLs in messages never carry credentials, and known
/// secrets are masked in libgit2's messages before they are stored here.
public enum GitError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A libgit2 call failed. `operation` says what was being done ("fetching https://host/org/repo.git").
  case libgit2(operation: String, message: String, code: Int32)
  /// The server asked for credentials and none were configured.
  case authenticationRequired(url: String)
  /// The server rejected the credentials that were offered.
  case authenticationFailed(url: String, method: String)
  /// An SSH server presented a host key that the known_hosts file does not list for that host.
  case unknownHostKey(host: String, keyType: String, fingerprint: String, knownHosts: String)
  /// An SSH server presented a host key that differs from the one known_hosts lists for that host.
  case hostKeyMismatch(host: String, keyType: String, fingerprint: String, knownHosts: String)
  /// An SSH connection was attempted without a known_hosts file to check the host key against.
  case knownHostsMissing(host: String)
  /// A known_hosts file could not be read.
  case knownHostsUnreadable(path: String, reason: String)
  /// A branch, tag or commit id did not resolve in the repository.
  case referenceNotFound(reference: String, repository: String)
  /// A short commit id matches more than one object.
  case ambiguousReference(reference: String, repository: String)
  /// The repository has no commits at all.
  case emptyRepository(repository: String)
  /// No repository exists at a path.
  case repositoryNotFound(path: String)
  /// A path does not exist in the tree of a commit.
  case pathNotFound(path: String, commit: String)
  /// A path names something other than what was asked for (a directory where a file was expected...).
  case wrongObjectKind(path: String, commit: String, expected: String, actual: String)
  /// A remote URL could not be understood.
  case invalidRemoteURL(String, reason: String)
  /// A mirror directory already exists and mirrors a different remote.
  case mirrorOfDifferentRemote(directory: String, existing: String, requested: String)
  /// A fetch found that a branch was rewritten and the fetch was told to keep the old history.
  case historyRewritten(url: String, branches: [String])
  /// tripgen refused an operation before calling libgit2, for the reason given.
  case refused(operation: String, reason: String)
  /// The operation was cancelled by the caller's task.
  case cancelled(operation: String)

  public var description: String {
    switch self {
    case .libgit2(let operation, let message, _):
      return "\(operation): \(message)"
    case .authenticationRequired(let url):
      return
        "fetching \(url): authentication required; give a username and a password or token "
        + "(--username, --password-env or --token-env), or an SSH key (--ssh-key)"
    case .authenticationFailed(let url, let method):
      return
        "fetching \(url): authentication failed: the server rejected the \(method); "
        + "check the username and the secret, and that it may read this repository"
    case .unknownHostKey(let host, let keyType, let fingerprint, let knownHosts):
      return
        "SSH host \(host) presented a \(keyType) key \(fingerprint) that \(knownHosts) does not list; "
        + "if the fingerprint is right, add the host key to \(knownHosts) (ssh-keyscan)"
    case .hostKeyMismatch(let host, let keyType, let fingerprint, let knownHosts):
      return
        "SSH host \(host) presented a \(keyType) key \(fingerprint) that differs from the one in "
        + "\(knownHosts); the host key changed or someone is intercepting the connection"
    case .knownHostsMissing(let host):
      return
        "connecting to SSH host \(host): no known_hosts file was given, so its host key cannot be "
        + "checked; pass one (--known-hosts FILE)"
    case .knownHostsUnreadable(let path, let reason):
      return "reading known_hosts file \(path): \(reason)"
    case .referenceNotFound(let reference, let repository):
      return
        "\(repository): '\(reference)' is not a branch, tag or commit id in this repository; "
        + "check the name, and fetch if it is new"
    case .ambiguousReference(let reference, let repository):
      return "\(repository): '\(reference)' matches more than one object; give more digits"
    case .emptyRepository(let repository):
      return "\(repository): the repository has no commits yet"
    case .repositoryNotFound(let path):
      return "no Git repository at \(path)"
    case .pathNotFound(let path, let commit):
      return "'\(path)' does not exist at commit \(commit)"
    case .wrongObjectKind(let path, let commit, let expected, let actual):
      return "'\(path)' at commit \(commit) is a \(actual), not a \(expected)"
    case .invalidRemoteURL(let url, let reason):
      return "remote URL '\(url)': \(reason)"
    case .mirrorOfDifferentRemote(let directory, let existing, let requested):
      return
        "mirror directory \(directory) mirrors \(existing), not \(requested); "
        + "choose another cache directory or remove this one"
    case .historyRewritten(let url, let branches):
      return
        "fetching \(url): history was rewritten on \(branches.joined(separator: ", ")) "
        + "(the new tip does not descend from the old one); the mirror kept the old tips"
    case .refused(let operation, let reason):
      return "\(operation): \(reason)"
    case .cancelled(let operation):
      return "\(operation): cancelled"
    }
  }
}
