import CGit2

extension GitRepository {
  /// Fetches every branch and tag of the remote into this mirror, pruning the ones the remote deleted,
  /// and reports what moved. A branch whose new tip does not descend from its old one is reported as a
  /// rewrite; by default the mirror follows the remote.
  ///
  /// Cancelling the calling task stops the transfer at the next progress callback.
  public func fetch(onHistoryRewrite policy: HistoryRewritePolicy = .follow) async throws(GitError)
    -> FetchResult
  {
    guard let remote else {
      throw .refused(
        operation: "fetching into \(path)",
        reason: "this repository was opened in place, not as a mirror; it has no remote to fetch")
    }
    let credentials = self.credentials
    let cancellation = CancellationFlag()
    let result: Result<FetchResult, GitError> = await withTaskCancellationHandler {
      do throws(GitError) {
        return .success(
          try await withHandle { repository throws(GitError) in
            let session = RemoteSession(
              remote: remote, credentials: credentials, cancellation: cancellation)
            return try Self.fetch(into: repository, session: session, policy: policy)
          })
      } catch {
        return .failure(error)
      }
    } onCancel: {
      cancellation.cancel()
    }
    return try result.get()
  }

  private static func fetch(
    into repository: OpaquePointer, session: RemoteSession, policy: HistoryRewritePolicy
  ) throws(GitError) -> FetchResult {
    let url = session.remote.url
    let operation = "fetching \(url)"
    if session.cancellation.isCancelled { throw .cancelled(operation: operation) }
    let before = try references(in: repository, name: url)

    var origin: OpaquePointer?
    try LibGit2.check(git_remote_lookup(&origin, repository, "origin"), operation)
    defer { git_remote_free(origin) }
    var options = git_fetch_options()
    try LibGit2.check(
      git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), operation)
    options.callbacks = session.callbacks()
    options.prune = GIT_FETCH_PRUNE
    // Tags come from the mirror's own refspec; auto-following them would only repeat that work.
    options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
    options.update_fetchhead = 0

    // Connect explicitly, rather than through git_remote_fetch, so the advertised default branch can
    // be read while the connection is open.
    var code = git_remote_connect(origin, GIT_DIRECTION_FETCH, &options.callbacks, nil, nil)
    if code < 0 { throw session.error(code, operation) }
    defer { git_remote_disconnect(origin) }
    var defaultBranch: String?
    var buffer = git_buf()
    if git_remote_default_branch(&buffer, origin) == 0, let name = buffer.ptr {
      defaultBranch = String(cString: name)
    }
    git_buf_dispose(&buffer)

    code = git_remote_download(origin, nil, &options)
    if code < 0 { throw session.error(code, operation) }
    code = git_remote_update_tips(
      origin, &options.callbacks, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, "tripgen: fetch")
    if code < 0 { throw session.error(code, operation) }
    code = git_remote_prune(origin, &options.callbacks)
    if code < 0 { throw session.error(code, operation) }
    if let defaultBranch {
      try LibGit2.check(
        git_repository_set_head(repository, defaultBranch),
        "pointing HEAD of the mirror to \(defaultBranch)")
    }

    let after = try references(in: repository, name: url)
    var updates: [ReferenceUpdate] = []
    for name in Set(before.keys).union(after.keys).sorted() where before[name] != after[name] {
      var update = ReferenceUpdate(
        name: name, old: before[name], new: after[name], isRewrite: false)
      if let old = before[name], let new = after[name] {
        update.isRewrite = !descends(new, from: old, in: repository)
      }
      updates.append(update)
    }
    let rewrittenBranches = updates.filter { $0.isRewrite && $0.name.hasPrefix("refs/heads/") }
    if policy == .keepOld, !rewrittenBranches.isEmpty {
      for update in rewrittenBranches {
        var oid = update.old!.oid
        var reference: OpaquePointer?
        try LibGit2.check(
          git_reference_create(
            &reference, repository, update.name, &oid, 1, "tripgen: keep history before rewrite"),
          "restoring \(update.name) in the mirror of \(url)")
        git_reference_free(reference)
      }
      throw .historyRewritten(url: url, branches: rewrittenBranches.map(\.name))
    }
    return FetchResult(
      url: url, updates: updates, defaultBranch: defaultBranch,
      receivedObjects: session.receivedObjects, receivedBytes: session.receivedBytes)
  }

  /// Whether `new` descends from (or is) `old`, comparing the commits that tags point to.
  private static func descends(_ new: ObjectID, from old: ObjectID, in repository: OpaquePointer)
    -> Bool
  {
    guard let newCommit = peeledCommit(new, in: repository),
      let oldCommit = peeledCommit(old, in: repository)
    else { return false }
    var newOid = newCommit.oid
    var oldOid = oldCommit.oid
    if git_oid_equal(&newOid, &oldOid) != 0 { return true }
    return git_graph_descendant_of(repository, &newOid, &oldOid) == 1
  }

  private static func peeledCommit(_ id: ObjectID, in repository: OpaquePointer) -> ObjectID? {
    var oid = id.oid
    var object: OpaquePointer?
    guard git_object_lookup(&object, repository, &oid, GIT_OBJECT_ANY) == 0 else { return nil }
    defer { git_object_free(object) }
    var commit: OpaquePointer?
    guard git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0 else { return nil }
    defer { git_object_free(commit) }
    return ObjectID(git_object_id(commit))
  }
}
