import Foundation

/// Git's lock files (`packed-refs.lock`, `refs/heads/main.lock`, `shallow.lock`, ...) left in the
/// mirror by a controller killed in the middle of a fetch. Git would refuse every later fetch while
/// they exist; the controller is the mirror's only user, so at start-up any lock is stale.
enum StaleGitLocks {
  /// Deletes every `*.lock` file under `directory`; returns how many there were.
  @discardableResult
  static func remove(in directory: String) -> Int {
    guard let files = FileManager.default.enumerator(atPath: directory) else { return 0 }
    var removed = 0
    while let path = files.nextObject() as? String {
      guard path.hasSuffix(".lock") else { continue }
      if (try? FileManager.default.removeItem(atPath: directory + "/" + path)) != nil {
        removed += 1
      }
    }
    return removed
  }
}
