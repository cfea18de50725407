import Git
import OCI

/// Why an environment's images could not be resolved to tags and digests.
public enum ImageResolverError: Error, Sendable, CustomStringConvertible {
  /// A source path of an image does not exist at the commit.
  case sourcePathMissing(image: String, path: String, commit: String)
  /// The image's inputs cannot make a tag (an empty product name, a path listed twice...).
  case invalidSources(image: String, SourceAddressedTag.InputError)
  /// Reading the Git repository failed.
  case git(GitError)
  /// The image store (registry or OCI layout) could not be asked whether it has the tag; the
  /// store's own error is kept (an HTTP status, a file that cannot be read).
  case store(image: String, reference: String, any Error)

  public var description: String {
    switch self {
    case .sourcePathMissing(let image, let path, let commit):
      return
        "image \(image): source path \(path) does not exist at commit \(commit); fix "
        + "spec.images[].sourcePaths in the environment file (paths are relative to the "
        + "repository root)"
    case .invalidSources(let image, let error):
      return "image \(image): \(error)"
    case .git(let error):
      return "\(error)"
    case .store(let image, let reference, let error):
      return "image \(image): looking up \(reference): \(error)"
    }
  }
}
