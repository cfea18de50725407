import CGit2

/// A path that differs between two commits.
public struct ChangedPath: Sendable, Hashable, Codable {
  /// How it changed.
  public enum Status: String, Sendable, Codable {
    case added, deleted, modified, renamed, copied, typeChanged
  }

  /// How it changed.
  public var status: Status
  /// The path in the older commit (nil when added).
  public var oldPath: String?
  /// The path in the newer commit (nil when deleted).
  public var newPath: String?

  /// Every path this change touches: both names of a rename, one name otherwise.
  public var paths: [String] {
    if let oldPath, let newPath, oldPath != newPath { return [oldPath, newPath] }
    return [newPath ?? oldPath].compactMap { $0 }
  }
}

extension GitRepository {
  /// The paths that differ between the trees of two commits (git_diff_tree_to_tree), with renames
  /// detected and reported as one change with the old and the new path.
  public func changedPaths(from old: ObjectID, to new: ObjectID) async throws(GitError)
    -> [ChangedPath]
  {
    let name = displayName
    return try await withHandle { repository throws(GitError) in
      let oldTree = try Self.rootTree(of: old, in: repository, name: name)
      defer { git_tree_free(oldTree) }
      let newTree = try Self.rootTree(of: new, in: repository, name: name)
      defer { git_tree_free(newTree) }
      let operation = "comparing \(old.short)..\(new.short) in \(name)"
      var options = git_diff_options()
      try LibGit2.check(
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), operation)
      var diff: OpaquePointer?
      try LibGit2.check(
        git_diff_tree_to_tree(&diff, repository, oldTree, newTree, &options), operation)
      defer { git_diff_free(diff) }
      var find = git_diff_find_options()
      try LibGit2.check(
        git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), operation)
      find.flags = GIT_DIFF_FIND_RENAMES.rawValue
      try LibGit2.check(git_diff_find_similar(diff, &find), operation)
      return (0..<git_diff_num_deltas(diff)).compactMap { index in
        let delta = git_diff_get_delta(diff, index)!.pointee
        let oldPath = delta.old_file.path.map { String(cString: $0) }
        let newPath = delta.new_file.path.map { String(cString: $0) }
        switch delta.status {
        case GIT_DELTA_ADDED: return ChangedPath(status: .added, oldPath: nil, newPath: newPath)
        case GIT_DELTA_DELETED: return ChangedPath(status: .deleted, oldPath: oldPath, newPath: nil)
        case GIT_DELTA_RENAMED:
          return ChangedPath(status: .renamed, oldPath: oldPath, newPath: newPath)
        case GIT_DELTA_COPIED:
          return ChangedPath(status: .copied, oldPath: oldPath, newPath: newPath)
        case GIT_DELTA_TYPECHANGE:
          return ChangedPath(status: .typeChanged, oldPath: oldPath, newPath: newPath)
        case GIT_DELTA_UNMODIFIED: return nil
        default: return ChangedPath(status: .modified, oldPath: oldPath, newPath: newPath)
        }
      }
    }
  }
}
