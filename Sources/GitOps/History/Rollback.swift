import Environments

/// Which history entry a rollback goes back to.
public enum Rollback {
  /// The entry `id`, or without one the last successful sync of another revision or other images
  /// than the newest entry's. A sync of the working tree (`tripgen sync --local`) recorded no
  /// commit, so it cannot be gone back to: named, it is refused; without an id, it is passed over.
  public static func target(id: Int?, history: SyncHistory) async throws -> SyncHistoryEntry {
    if let id {
      let entry = try await history.entry(id)
      guard !isWorkingTree(entry) else {
        throw GitOpsError.notACommit(id: id, environment: history.environment)
      }
      return entry
    }
    let entries = try await history.entries()
    guard let newest = entries.last,
      let previous = entries.dropLast().last(where: {
        $0.result == "Succeeded" && !isWorkingTree($0)
          && ($0.revision != newest.revision || $0.images != newest.images)
      })
    else {
      throw GitOpsError.nothingToRollBackTo(environment: history.environment)
    }
    return previous
  }

  private static func isWorkingTree(_ entry: SyncHistoryEntry) -> Bool {
    entry.revision == Revision.workingTreeName
  }
}
