import Environments
import Git

/// Why the way from Git to the cluster stopped before the engine: each case names what was wrong
/// and what to do about it, and keeps the underlying error for callers that tell causes apart.
public enum DeliveryError: Error, Sendable, CustomStringConvertible {
  /// The directory is not the root of a Git repository.
  case notARepository(path: String)
  /// A revision could not be resolved or read.
  case git(GitError)
  /// The image store (registry or OCI layout) could not be asked for an image's digest.
  case imageStoreUnavailable(ImageResolverError)
  /// A schedule in the environment file is not valid.
  case invalidSchedule(field: String, value: String, expected: String)

  public var description: String {
    switch self {
    case .notARepository(let path):
      return
        "\(path) is not the root of a Git repository: image tags come from the Git tree, so run "
        + "this in the repository's top directory or give --repo"
    case .git(let error):
      return "\(error)"
    case .imageStoreUnavailable(let error):
      return "\(error)\n(--offline binds every image by its tag without asking the registry; "
        + "--image NAME=REF@sha256:... pins one)"
    case .invalidSchedule(let field, let value, let expected):
      return "environment schedule: \(field) is \"\(value)\"; expected \(expected)"
    }
  }
}
