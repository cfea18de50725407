import CGit2
import Dispatch
import Foundation

/// A Git repository read and fetched through libgit2: a local repository opened in place, or a bare
/// mirror of a remote one kept in a cache directory.
///
/// libgit2 calls block, so they never run on Swift's cooperative pool: each repository owns a serial
/// dispatch queue, every call on its `git_repository` handle runs there (which also serialises them, as
/// libgit2 requires for a shared handle), and async methods bridge to it with continuations.
public final class GitRepository: Sendable {
  /// Where the repository is: its directory (the `.git` directory for a bare one).
  public let path: String
  /// The remote this repository mirrors; nil for a local repository opened in place.
  public let remote: RemoteURL?
  /// How to authenticate to `remote` and check its identity.
  public let credentials: GitCredentials

  private let handle: Handle
  private let queue: DispatchQueue

  /// Owns the `git_repository` pointer; touched only on the repository's queue, freed on release.
  private final class Handle: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { git_repository_free(pointer) }
  }

  private init(path: String, remote: RemoteURL?, credentials: GitCredentials, handle: Handle) {
    self.path = path
    self.remote = remote
    self.credentials = credentials
    self.handle = handle
    self.queue = DispatchQueue(label: "tripgen.git.\(remote?.cacheName ?? path)")
  }

  /// How messages name this repository: the remote's URL (without credentials) or the local path.
  public var displayName: String { remote?.url ?? path }

  /// Opens the repository at `path` (a work tree, its `.git` directory, or a bare repository) in place.
  /// Nothing is fetched; reads see the repository as it is.
  public static func open(at path: String) async throws(GitError) -> GitRepository {
    try await onWorkerQueue { () throws(GitError) in
      var pointer: OpaquePointer?
      let code = git_repository_open_ext(
        &pointer, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
      if code == GIT_ENOTFOUND.rawValue { throw .repositoryNotFound(path: path) }
      try LibGit2.check(code, "opening repository \(path)")
      return GitRepository(
        path: path, remote: nil, credentials: GitCredentials(), handle: Handle(pointer!))
    }
  }

  /// Opens the bare mirror of `url` in `directory` (by default `$XDG_CACHE_HOME/tripgen/git/<name>`,
  /// named after the URL without credentials), creating it when it does not exist yet. Nothing is
  /// fetched: call `fetch()` to bring it up to date.
  ///
  /// Credentials written into `url` are moved into `credentials`; the mirror's config records the URL
  /// without them. A directory that mirrors a different URL is an error, not silently reused.
  public static func mirror(
    of url: String, credentials: GitCredentials = GitCredentials(), in directory: String? = nil
  ) async throws(GitError) -> GitRepository {
    let remote = try RemoteURL(url)
    let credentials = credentials.merged(with: remote)
    if let file = credentials.certificateAuthorityFile {
      try LibGit2.useCertificateAuthorityFile(file)
    }
    let path = directory ?? defaultMirrorDirectory(for: remote)
    return try await onWorkerQueue { () throws(GitError) in
      let pointer = try openOrCreateMirror(at: path, remote: remote)
      return GitRepository(
        path: path, remote: remote, credentials: credentials, handle: Handle(pointer))
    }
  }

  /// `$XDG_CACHE_HOME/tripgen/git/<name>` (or `~/.cache/...` when XDG_CACHE_HOME is not set).
  public static func defaultMirrorDirectory(for remote: RemoteURL) -> String {
    let environment = ProcessInfo.processInfo.environment
    let cache =
      environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (NSHomeDirectory() + "/.cache")
    return cache + "/tripgen/git/" + remote.cacheName
  }

  private static func openOrCreateMirror(at path: String, remote: RemoteURL) throws(GitError)
    -> OpaquePointer
  {
    var pointer: OpaquePointer?
    let operation = "opening mirror \(path) of \(remote)"
    var code = git_repository_open_ext(
      &pointer, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_BARE.rawValue,
      nil)
    if code == GIT_ENOTFOUND.rawValue {
      // Never turn a directory that holds something else into a mirror.
      let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
      guard contents.isEmpty else {
        throw .refused(
          operation: operation,
          reason: "the directory exists, is not empty and is not a Git repository; "
            + "choose another cache directory or remove it")
      }
      do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      } catch {
        throw .refused(
          operation: "creating mirror directory \(path)", reason: error.localizedDescription)
      }
      code = git_repository_init(&pointer, path, 1)
      try LibGit2.check(code, "creating mirror \(path) of \(remote)")
    } else {
      try LibGit2.check(code, operation)
    }
    do {
      try ensureOrigin(in: pointer!, path: path, remote: remote)
    } catch {
      git_repository_free(pointer)
      throw error
    }
    return pointer!
  }

  /// The mirror's `origin` fetches every branch and tag onto the same names, forcing, so the mirror
  /// follows the remote exactly (pruning is asked for at fetch time).
  private static func ensureOrigin(in repository: OpaquePointer, path: String, remote: RemoteURL)
    throws(GitError)
  {
    var origin: OpaquePointer?
    let code = git_remote_lookup(&origin, repository, "origin")
    if code == 0 {
      defer { git_remote_free(origin) }
      let existing = String(cString: git_remote_url(origin))
      guard existing == remote.url else {
        throw .mirrorOfDifferentRemote(directory: path, existing: existing, requested: remote.url)
      }
      return
    }
    guard code == GIT_ENOTFOUND.rawValue else {
      throw LibGit2.error(code, "reading the origin of mirror \(path)")
    }
    try LibGit2.check(
      git_remote_create_with_fetchspec(
        &origin, repository, "origin", remote.url, "+refs/heads/*:refs/heads/*"),
      "configuring the origin of mirror \(path)")
    git_remote_free(origin)
    try LibGit2.check(
      git_remote_add_fetch(repository, "origin", "+refs/tags/*:refs/tags/*"),
      "configuring the origin of mirror \(path)")
  }

  /// Runs `body` with the repository handle on the repository's queue.
  func withHandle<T: Sendable>(
    _ body: @escaping @Sendable (OpaquePointer) throws(GitError) -> T
  ) async throws(GitError) -> T {
    let result: Result<T, GitError> = await withCheckedContinuation { continuation in
      queue.async { [handle] in
        LibGit2.ensureInitialised()
        continuation.resume(returning: Result { () throws(GitError) in try body(handle.pointer) })
      }
    }
    return try result.get()
  }

  /// Work that has no repository handle yet (opening one) runs on a shared utility queue: still off
  /// the cooperative pool.
  private static let workerQueue = DispatchQueue(
    label: "tripgen.git.open", qos: .utility, attributes: .concurrent)

  private static func onWorkerQueue<T: Sendable>(
    _ body: @escaping @Sendable () throws(GitError) -> T
  ) async throws(GitError) -> T {
    let result: Result<T, GitError> = await withCheckedContinuation { continuation in
      workerQueue.async {
        LibGit2.ensureInitialised()
        continuation.resume(returning: Result { () throws(GitError) in try body() })
      }
    }
    return try result.get()
  }
}
