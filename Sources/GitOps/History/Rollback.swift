/// Which history entry a rollback goes back to.
public enum Rollback {
  /// The entry `id`, or without one the last successful sync of another revision or other images
  /// than the newest entry's.
  public static func target(id: Int?, history: SyncHistory) async throws -> SyncHistoryEntry {
    if let id { return try await history.entry(id) }
    let entries = try await history.entries()
    guard let newest = entries.last,
      let previous = entries.dropLast().last(where: {
        $0.result == "Succeeded" && ($0.revision != newest.revision || $0.images != newest.images)
      })
    else {
      throw GitOpsError.nothingToRollBackTo(environment: history.environment)
    }
    return previous
  }
}
