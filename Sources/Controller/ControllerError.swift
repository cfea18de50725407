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
  /// A Kubernetes request failed; `action` says what the controller was doing.
  case kube(action: String, reason: String)
  /// The controller was asked for an environment it does not run.
  case unknownEnvironment(String, known: [String])
  /// The syncer cannot handle this environment (what it lacks, and what to do).
  case unsupported(String)
  /// A sync failed: which object and why.
  case syncFailed(object: String?, reason: String)
  /// A schedule in the environment file is not valid.
  case invalidSchedule(field: String, value: String, expected: String)
  /// The request is not allowed in the environment's current state (rollback with automated sync).
  case conflict(String)

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
    case .kube(let action, let reason):
      return "\(action): \(reason)"
    case .unknownEnvironment(let name, let known):
      return
        "this controller does not run environment \"\(name)\" (it runs: \(known.joined(separator: ", ")))"
    case .unsupported(let reason):
      return reason
    case .syncFailed(let object, let reason):
      return object.map { "sync failed at \($0): \(reason)" } ?? "sync failed: \(reason)"
    case .invalidSchedule(let field, let value, let expected):
      return "environment schedule: \(field) is \"\(value)\"; expected \(expected)"
    case .conflict(let reason):
      return reason
    }
  }
}
