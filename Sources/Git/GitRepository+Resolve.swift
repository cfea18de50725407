import CGit2

extension GitRepository {
  /// Resolves a branch, a tag (annotated or lightweight), a full or short commit id, or any revision
  /// expression libgit2 understands (`main~2`, `refs/heads/x`) to the commit it names.
  public func resolve(_ reference: String) async throws(GitError) -> Commit {
    let name = displayName
    return try await withHandle { repository throws(GitError) in
      var object: OpaquePointer?
      let code = git_revparse_single(&object, repository, reference)
      switch code {
      case 0:
        break
      case GIT_ENOTFOUND.rawValue, GIT_EINVALIDSPEC.rawValue:
        if Self.hasNoReferences(repository) { throw .emptyRepository(repository: name) }
        throw .referenceNotFound(reference: reference, repository: name)
      case GIT_EAMBIGUOUS.rawValue:
        throw .ambiguousReference(reference: reference, repository: name)
      default:
        throw LibGit2.error(code, "resolving '\(reference)' in \(name)")
      }
      defer { git_object_free(object) }
      var commit: OpaquePointer?
      guard git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0 else {
        let kind = String(cString: git_object_type2string(git_object_type(object)))
        throw .wrongObjectKind(path: reference, commit: name, expected: "commit", actual: kind)
      }
      defer { git_object_free(commit) }
      return Commit(commit!)
    }
  }

  /// The commit with this id.
  public func commit(_ id: ObjectID) async throws(GitError) -> Commit {
    try await resolve(id.hex)
  }

  /// Every branch and tag and the object it points to (for annotated tags, the tag object).
  public func references() async throws(GitError) -> [String: ObjectID] {
    let name = displayName
    return try await withHandle { repository throws(GitError) in
      try Self.references(in: repository, name: name)
    }
  }

  static func references(in repository: OpaquePointer, name: String) throws(GitError)
    -> [String: ObjectID]
  {
    var iterator: OpaquePointer?
    try LibGit2.check(
      git_reference_iterator_glob_new(&iterator, repository, "refs/*"),
      "listing the references of \(name)")
    defer { git_reference_iterator_free(iterator) }
    var result: [String: ObjectID] = [:]
    var reference: OpaquePointer?
    while true {
      let code = git_reference_next(&reference, iterator)
      if code == GIT_ITEROVER.rawValue { break }
      try LibGit2.check(code, "listing the references of \(name)")
      defer { git_reference_free(reference) }
      let refName = String(cString: git_reference_name(reference))
      guard refName.hasPrefix("refs/heads/") || refName.hasPrefix("refs/tags/"),
        let target = git_reference_target(reference)
      else { continue }
      result[refName] = ObjectID(target)
    }
    return result
  }

  private static func hasNoReferences(_ repository: OpaquePointer) -> Bool {
    git_repository_is_empty(repository) == 1
      || ((try? references(in: repository, name: "")) ?? [:]).isEmpty
  }
}
