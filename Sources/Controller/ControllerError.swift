import Environments
import Git

/// Why the controller could not do something. Each case says what was wrong and what to do;
/// secrets (webhook secret, API token, Git credentials) never appear in a description.
public enum ControllerError: Error, Sendable, CustomStringConvertible {
  /// A webhook delivery could not be read.
  case invalidWebhook(String)
  /// A mounted secret file (webhook secret, API token) could not be read or is empty.
  case secretFile(path: String, reason: String)
  /// The environment could not be loaded or rendered at a revision.
  case environment(name: String, revision: String, EnvironmentError)
  /// Git failed (fetch, resolve, read).
  case git(GitError)
  /// The request is not allowed in the environment's current state (rollback with automated sync).
  case conflict(String)
  /// Another replica holds the lease now: this one stopped writing.
  case lostLease

  public var description: String {
    switch self {
    case .invalidWebhook(let reason):
      return "invalid webhook delivery: \(reason)"
    case .secretFile(let path, let reason):
      return
        "cannot read the secret file \(path): \(reason); mount the Secret there (see charts/tripgen-controller/values.yaml)"
    case .environment(let name, let revision, let error):
      return "environment \(name) at \(revision): \(error)"
    case .git(let error):
      return "\(error)"
    case .conflict(let reason):
      return reason
    case .lostLease:
      return "this replica no longer holds the leader lease; the new leader syncs"
    }
  }
}
