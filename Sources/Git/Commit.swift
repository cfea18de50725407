import CGit2
import Foundation

/// A commit, as a reconciler reports it: id, who, when, and why.
public struct Commit: Sendable, Hashable, Codable {
  /// The commit id.
  public var id: ObjectID
  /// The id of the commit's root tree.
  public var tree: ObjectID
  /// The parent commit ids (none for a root commit, two or more for a merge).
  public var parents: [ObjectID]
  /// Who wrote the change.
  public var author: Signature
  /// Who committed it.
  public var committer: Signature
  /// The full commit message.
  public var message: String

  /// The first line of the message.
  public var summary: String {
    String(message.prefix { $0 != "\n" && $0 != "\r" })
  }

  /// Reads a commit object that is known to exist. Must run on the repository's queue.
  init(_ commit: OpaquePointer) {
    id = ObjectID(git_commit_id(commit))
    tree = ObjectID(git_commit_tree_id(commit))
    parents = (0..<git_commit_parentcount(commit)).map {
      ObjectID(git_commit_parent_id(commit, $0))
    }
    author = Signature(git_commit_author(commit))
    committer = Signature(git_commit_committer(commit))
    message = git_commit_message(commit).map { String(cString: $0) } ?? ""
  }
}

/// A name, e-mail and time, as recorded in a commit.
public struct Signature: Sendable, Hashable, Codable {
  /// The person's name.
  public var name: String
  /// The person's e-mail address.
  public var email: String
  /// When, as an instant.
  public var time: Date
  /// The time zone the person was in, as minutes east of UTC.
  public var utcOffsetMinutes: Int

  init(_ signature: UnsafePointer<git_signature>) {
    name = String(cString: signature.pointee.name)
    email = String(cString: signature.pointee.email)
    time = Date(timeIntervalSince1970: TimeInterval(signature.pointee.when.time))
    utcOffsetMinutes = Int(signature.pointee.when.offset)
  }
}
