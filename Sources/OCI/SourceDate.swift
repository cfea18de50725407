import Blocking
import Foundation

/// The image creation time: the commit time, so that a rebuild of the same commit is the same image.
public enum SourceDate {
  /// The caller's value, else `SOURCE_DATE_EPOCH` from `environment`, else the time of the last commit
  /// of the Git repository holding `directory`. Never the current time. Git runs off the pool.
  public static func resolve(
    explicit: Int?, environment: [String: String], directory: String
  ) async throws(OCIError) -> Int {
    try await offPool { () throws(OCIError) in
      try resolveBlocking(explicit: explicit, environment: environment, directory: directory)
    }
  }

  static func resolveBlocking(
    explicit: Int?, environment: [String: String], directory: String
  ) throws(OCIError) -> Int {
    if let explicit { return explicit }
    if let text = environment["SOURCE_DATE_EPOCH"] {
      guard let seconds = Int(text), seconds >= 0 else {
        throw .invalidSourceDate(
          text, reason: "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970")
      }
      return seconds
    }
    var output = ""
    let outcome = try? Subprocess.run(["git", "-C", directory, "log", "-1", "--format=%ct"]) {
      if !$0.isEmpty { output = $0 }
    }
    guard outcome?.status == 0, let seconds = Int(output) else {
      throw .invalidSourceDate(
        directory,
        reason:
          "it is not in a Git repository with a commit (or git is missing); set "
          + "SOURCE_DATE_EPOCH or pass "
          + "--source-date-epoch")
    }
    return seconds
  }

  /// The commit `HEAD` names in the repository holding `directory`, or nil outside a repository.
  public static func revision(directory: String) async -> String? {
    await offPool { revisionBlocking(directory: directory) }
  }

  static func revisionBlocking(directory: String) -> String? {
    var output = ""
    guard
      let outcome = try? Subprocess.run(
        ["git", "-C", directory, "rev-parse", "HEAD"],
        onLine: {
          if !$0.isEmpty { output = $0 }
        }), outcome.status == 0, output.count == 40
    else { return nil }
    return output
  }
}
