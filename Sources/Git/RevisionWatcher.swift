/// Watches one branch of a mirrored repository: polls by fetching at an interval, and fetches at once
/// when `refresh()` is called (by a webhook handler, say). Subscribers get each new tip of the branch.
///
/// Refreshes coalesce: a refresh that arrives while a fetch is running waits for that fetch and shares
/// its result instead of starting another. A push that lands while that fetch is already running may
/// be missed by it; the next poll or refresh picks it up.
public actor RevisionWatcher {
  /// A tip of the watched branch.
  public struct Revision: Sendable, Hashable {
    /// The branch name (`main`).
    public var branch: String
    /// The commit the branch points to.
    public var commit: Commit
    /// True when the fetch that found this revision saw the branch's history rewritten.
    public var isRewrite: Bool
  }

  /// The mirror being watched.
  public let repository: GitRepository
  /// The branch being watched (without `refs/heads/`).
  public let branch: String
  /// How long to wait between polls.
  public let interval: Duration
  /// How many fetches the watcher has started, polls and refreshes together.
  public private(set) var fetchCount = 0
  /// The last revision seen, once the first fetch succeeded.
  public private(set) var current: Revision?
  /// The error of the last fetch, if it failed; nil after a successful one.
  public private(set) var lastError: GitError?

  private let onFetchFailure: @Sendable (GitError) -> Void
  private var inFlight: Task<Result<Revision, GitError>, Never>?
  private var subscribers: [Int: AsyncStream<Revision>.Continuation] = [:]
  private var nextSubscriber = 0
  private var poller: Task<Void, Never>?

  /// - Parameters:
  ///   - onFetchFailure: Called with the error of each failed poll (a refresh also throws it); polling
  ///     goes on, since a remote that is briefly unreachable should not end the watch.
  public init(
    repository: GitRepository, branch: String, interval: Duration = .seconds(60),
    onFetchFailure: @escaping @Sendable (GitError) -> Void = { _ in }
  ) {
    self.repository = repository
    self.branch = branch
    self.interval = interval
    self.onFetchFailure = onFetchFailure
  }

  /// Fetches now, or joins the fetch already running, and returns the branch's tip. Subscribers are
  /// told when the tip moved.
  @discardableResult
  public func refresh() async throws(GitError) -> Revision {
    if let inFlight { return try await inFlight.value.get() }
    let task = Task { await self.fetchAndResolve() }
    inFlight = task
    return try await task.value.get()
  }

  /// The new tips of the branch, starting with the current one, for as long as the stream is consumed.
  /// Polling runs while at least one stream is alive.
  public func revisions() -> AsyncStream<Revision> {
    let (stream, continuation) = AsyncStream.makeStream(of: Revision.self)
    let id = nextSubscriber
    nextSubscriber += 1
    subscribers[id] = continuation
    continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
    if let current { continuation.yield(current) }
    if poller == nil {
      poller = Task { await self.poll() }
    }
    return stream
  }

  private func unsubscribe(_ id: Int) {
    subscribers[id] = nil
    if subscribers.isEmpty {
      poller?.cancel()
      poller = nil
    }
  }

  private func poll() async {
    while !Task.isCancelled {
      do {
        try await refresh()
      } catch {
        if case .cancelled = error { return }
        onFetchFailure(error)
      }
      try? await Task.sleep(for: interval)
    }
  }

  private func fetchAndResolve() async -> Result<Revision, GitError> {
    defer { inFlight = nil }
    fetchCount += 1
    do throws(GitError) {
      let result = try await repository.fetch()
      let commit = try await repository.resolve("refs/heads/" + branch)
      let revision = Revision(
        branch: branch, commit: commit,
        isRewrite: result.update(of: "refs/heads/" + branch)?.isRewrite ?? false)
      lastError = nil
      if current?.commit.id != commit.id {
        current = revision
        for subscriber in subscribers.values { subscriber.yield(revision) }
      }
      return .success(revision)
    } catch {
      lastError = error
      return .failure(error)
    }
  }
}
