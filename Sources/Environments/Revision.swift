import Git

/// What an environment's files are read from: a commit, or the working tree (uncommitted files
/// included). The one spelling of "which revision" from the command line to the sync history.
public enum Revision: Sendable, Hashable, CustomStringConvertible {
  /// A commit's tree.
  case commit(ObjectID)
  /// The files on disk; images are tagged as at `head` (the commit checked out), since only a
  /// commit has source-addressed tags.
  case workingTree(head: ObjectID)

  /// The commit image tags are computed at.
  public var tagCommit: ObjectID {
    switch self {
    case .commit(let id), .workingTree(let id): id
    }
  }

  /// Whether uncommitted files are read.
  public var isWorkingTree: Bool {
    if case .workingTree = self { return true }
    return false
  }

  /// What the history and the reports record: the commit id, or `working-tree` (not a commit, so
  /// a rollback cannot return to it).
  public var description: String {
    switch self {
    case .commit(let id): id.hex
    case .workingTree: Self.workingTreeName
    }
  }

  /// How the history records a sync of the working tree.
  public static let workingTreeName = "working-tree"
}
