/// What a fetch changed in a mirror.
public struct FetchResult: Sendable, Hashable {
  /// The remote that was fetched (without credentials).
  public var url: String
  /// The branches and tags that were created, moved or deleted, sorted by name.
  public var updates: [ReferenceUpdate]
  /// The remote's default branch (`refs/heads/main`), when it has one; the mirror's HEAD points to it.
  public var defaultBranch: String?
  /// Objects received from the remote.
  public var receivedObjects: Int
  /// Bytes received from the remote.
  public var receivedBytes: Int

  /// The updates whose new tip does not descend from the old one: history was rewritten.
  public var rewrites: [ReferenceUpdate] { updates.filter(\.isRewrite) }

  /// The update of one reference (`refs/heads/main`), if it changed.
  public func update(of reference: String) -> ReferenceUpdate? {
    updates.first { $0.name == reference }
  }
}

/// A branch or tag that a fetch created, moved or deleted.
public struct ReferenceUpdate: Sendable, Hashable {
  /// The full reference name: `refs/heads/main`, `refs/tags/v1`.
  public var name: String
  /// Where it pointed before the fetch; nil when it is new.
  public var old: ObjectID?
  /// Where it points after the fetch; nil when it was deleted on the remote (and pruned).
  public var new: ObjectID?
  /// True when both exist and the new commit does not descend from the old one (a force-push).
  public var isRewrite: Bool
}

/// What a fetch does when a branch's new tip does not descend from its old one.
public enum HistoryRewritePolicy: Sendable {
  /// Move the branch to the remote's tip, as the remote now says (the default: Git is the source of
  /// truth), and report the rewrite in the `FetchResult`.
  case follow
  /// Keep rewritten branches at their old tips and throw `GitError.historyRewritten`, for callers that
  /// must not deploy rewritten history without a person looking at it. (Moved tags still follow.)
  case keepOld
}
