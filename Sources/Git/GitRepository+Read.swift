import CGit2

/// Reading files at a commit straight from the object database: no work tree, no checkout.
extension GitRepository {
  /// The contents of the file at `path` in `commit`.
  public func file(_ path: String, at commit: ObjectID) async throws(GitError) -> [UInt8] {
    let name = displayName
    return try await withHandle { repository throws(GitError) in
      let tree = try Self.rootTree(of: commit, in: repository, name: name)
      defer { git_tree_free(tree) }
      let (id, kind) = try Self.entry(at: path, in: tree, commit: commit)
      guard kind == .file || kind == .executable else {
        throw .wrongObjectKind(
          path: path, commit: commit.hex, expected: "file", actual: kind.rawValue)
      }
      return try Self.blobBytes(id, in: repository, path: path)
    }
  }

  /// The entries of the directory at `path` in `commit` (`""` for the root), in Git's order.
  public func directory(_ path: String, at commit: ObjectID) async throws(GitError) -> [TreeEntry] {
    let name = displayName
    return try await withHandle { repository throws(GitError) in
      let tree = try Self.tree(at: path, of: commit, in: repository, name: name)
      defer { git_tree_free(tree) }
      let base = Self.normalise(path)
      return (0..<git_tree_entrycount(tree)).map { index in
        let entry = git_tree_entry_byindex(tree, index)!
        let entryName = String(cString: git_tree_entry_name(entry))
        return TreeEntry(
          name: entryName, path: base.isEmpty ? entryName : base + "/" + entryName,
          kind: Self.kind(of: git_tree_entry_filemode(entry)),
          id: ObjectID(git_tree_entry_id(entry)))
      }
    }
  }

  /// Every file under the directory at `path` in `commit` (`""` for the whole tree), read into memory,
  /// with paths relative to that directory.
  public func subtree(_ path: String, at commit: ObjectID) async throws(GitError) -> FileTree {
    let name = displayName
    return try await withHandle { repository throws(GitError) in
      let tree = try Self.tree(at: path, of: commit, in: repository, name: name)
      defer { git_tree_free(tree) }
      var result = FileTree()
      try Self.collect(tree, prefix: "", into: &result, repository: repository, commit: commit)
      return result
    }
  }

  /// The id of the object at `path` in `commit`: a tree for a directory (the root tree for `""`), a blob
  /// for a file. Equal to `git rev-parse COMMIT:path`.
  public func objectID(at path: String, in commit: ObjectID) async throws(GitError) -> ObjectID {
    let name = displayName
    return try await withHandle { repository throws(GitError) in
      let tree = try Self.rootTree(of: commit, in: repository, name: name)
      defer { git_tree_free(tree) }
      if Self.normalise(path).isEmpty { return ObjectID(git_tree_id(tree)) }
      return try Self.entry(at: path, in: tree, commit: commit).0
    }
  }

  // MARK: - On the repository's queue

  static func rootTree(of commit: ObjectID, in repository: OpaquePointer, name: String)
    throws(GitError) -> OpaquePointer
  {
    var oid = commit.oid
    var commitObject: OpaquePointer?
    let code = git_commit_lookup(&commitObject, repository, &oid)
    if code == GIT_ENOTFOUND.rawValue {
      throw .referenceNotFound(reference: commit.hex, repository: name)
    }
    try LibGit2.check(code, "reading commit \(commit) in \(name)")
    defer { git_commit_free(commitObject) }
    var tree: OpaquePointer?
    try LibGit2.check(
      git_commit_tree(&tree, commitObject), "reading the tree of \(commit) in \(name)")
    return tree!
  }

  private static func tree(
    at path: String, of commit: ObjectID, in repository: OpaquePointer, name: String
  ) throws(GitError) -> OpaquePointer {
    let root = try rootTree(of: commit, in: repository, name: name)
    if normalise(path).isEmpty { return root }
    defer { git_tree_free(root) }
    let (id, kind) = try entry(at: path, in: root, commit: commit)
    guard kind == .directory else {
      throw .wrongObjectKind(
        path: path, commit: commit.hex, expected: "directory", actual: kind.rawValue)
    }
    var oid = id.oid
    var tree: OpaquePointer?
    try LibGit2.check(git_tree_lookup(&tree, repository, &oid), "reading tree \(path) at \(commit)")
    return tree!
  }

  private static func entry(at path: String, in tree: OpaquePointer, commit: ObjectID)
    throws(GitError) -> (ObjectID, TreeEntry.Kind)
  {
    var entry: OpaquePointer?
    let code = git_tree_entry_bypath(&entry, tree, normalise(path))
    if code == GIT_ENOTFOUND.rawValue { throw .pathNotFound(path: path, commit: commit.hex) }
    try LibGit2.check(code, "looking up \(path) at \(commit)")
    defer { git_tree_entry_free(entry) }
    return (ObjectID(git_tree_entry_id(entry)), kind(of: git_tree_entry_filemode(entry)))
  }

  private static func blobBytes(_ id: ObjectID, in repository: OpaquePointer, path: String)
    throws(GitError) -> [UInt8]
  {
    var oid = id.oid
    var blob: OpaquePointer?
    try LibGit2.check(git_blob_lookup(&blob, repository, &oid), "reading \(path) (blob \(id))")
    defer { git_blob_free(blob) }
    let size = Int(git_blob_rawsize(blob))
    guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
    return Array(UnsafeRawBufferPointer(start: content, count: size))
  }

  private static func collect(
    _ tree: OpaquePointer, prefix: String, into result: inout FileTree, repository: OpaquePointer,
    commit: ObjectID
  ) throws(GitError) {
    for index in 0..<git_tree_entrycount(tree) {
      let entry = git_tree_entry_byindex(tree, index)!
      let path = prefix + String(cString: git_tree_entry_name(entry))
      let id = ObjectID(git_tree_entry_id(entry))
      switch kind(of: git_tree_entry_filemode(entry)) {
      case .file, .executable:
        result.files[path] = try blobBytes(id, in: repository, path: path)
      case .symlink:
        result.symlinks[path] = String(
          decoding: try blobBytes(id, in: repository, path: path), as: UTF8.self)
      case .submodule:
        result.submodules[path] = id
      case .directory:
        var subtree: OpaquePointer?
        try LibGit2.check(
          git_tree_lookup(&subtree, repository, git_tree_entry_id(entry)),
          "reading tree \(path) at \(commit)")
        defer { git_tree_free(subtree) }
        try collect(
          subtree!, prefix: path + "/", into: &result, repository: repository, commit: commit)
      }
    }
  }

  /// Paths are given `/`-separated from the root; leading and trailing slashes and `.` are tolerated.
  static func normalise(_ path: String) -> String {
    path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
      .joined(separator: "/")
  }

  static func kind(of mode: git_filemode_t) -> TreeEntry.Kind {
    switch mode {
    case GIT_FILEMODE_TREE: return .directory
    case GIT_FILEMODE_BLOB_EXECUTABLE: return .executable
    case GIT_FILEMODE_LINK: return .symlink
    case GIT_FILEMODE_COMMIT: return .submodule
    default: return .file
    }
  }
}
