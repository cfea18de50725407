/// Turns many "the branch moved" signals into as few fetches as correctness allows.
///
/// A webhook burst (GitHub redelivering, a push of many branches, a script replaying deliveries)
/// must not become a burst of fetches. Requests that arrive within `window` of the first one are
/// served by one fetch; a request naming the commit the branch moved to (`after` in a push event) is
/// dropped when that commit is already the known tip, including tips found by a fetch that was
/// running when the request arrived. A request that names no commit, or another one, gets a fetch
/// of its own (after the running one), since a push may have landed after that fetch began.
public actor RefreshCoalescer {
  /// Fetches and returns the branch's tip commit id.
  public typealias Fetch = @Sendable () async throws -> String

  private let fetch: Fetch
  private let window: Duration
  private var knownTip: String?
  /// Wanted commits (nil: any newer state) not yet covered by a fetch.
  private var pending: [String?] = []
  private var draining = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  /// How many fetches this coalescer started.
  public private(set) var fetches = 0

  public init(window: Duration = .milliseconds(100), fetch: @escaping Fetch) {
    self.window = window
    self.fetch = fetch
  }

  /// Records a tip found elsewhere (a poll), so requests for it need no fetch.
  public func observe(tip: String) {
    knownTip = tip
  }

  /// Asks for a fetch that will see `after` (nil: whatever the branch holds now). Returns at
  /// once; the fetch runs in the background.
  public func request(after: String?) {
    if let after, after == knownTip { return }
    pending.append(after)
    guard !draining else { return }
    draining = true
    Task { await self.drain() }
  }

  /// Waits until no fetch is running or pending (for tests and the benchmark).
  public func idle() async {
    guard draining else { return }
    await withCheckedContinuation { waiters.append($0) }
  }

  private func drain() async {
    while !pending.isEmpty {
      try? await Task.sleep(for: window)
      pending.removeAll()
      fetches += 1
      // A failed fetch is not retried here: the poll that runs at the environment's interval
      // will fetch again, and the failure is counted and logged by `fetch` itself.
      if let tip = try? await fetch() {
        knownTip = tip
      }
      // Requests that came in during the fetch and ask for what it found are served by it.
      pending.removeAll { $0 != nil && $0 == knownTip }
    }
    draining = false
    for waiter in waiters { waiter.resume() }
    waiters.removeAll()
  }
}
