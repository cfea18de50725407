import Foundation
import Git

/// The source side of one watched repository and branch: polls at the environment's interval with
/// jitter, fetches at once when a webhook asks (through a ``RefreshCoalescer``), and hands each new
/// tip to `onRevision`.
///
/// Jitter (up to 10 % of the interval, as client-go's `JitterUntil` with factor 0.1) keeps several
/// controllers, or several environments on one repository, from fetching in step.
public final class SourcePoller: Sendable {
  public let watcher: RevisionWatcher
  public let interval: Duration
  public let coalescer: RefreshCoalescer
  private let onRevision: @Sendable (Commit, SyncTrigger) async -> Void

  /// - Parameters:
  ///   - metrics: Receives each fetch's duration and outcome.
  ///   - onRevision: Called with the branch's tip after every fetch that moved it (and after the
  ///     first one).
  public init(
    repository: GitRepository, branch: String, interval: Duration, metrics: ControllerMetrics,
    onRevision: @escaping @Sendable (Commit, SyncTrigger) async -> Void
  ) {
    let watcher = RevisionWatcher(repository: repository, branch: branch, interval: interval)
    self.watcher = watcher
    self.interval = interval
    self.onRevision = onRevision
    let deliver = onRevision
    coalescer = RefreshCoalescer { @Sendable in
      try await Self.fetch(watcher: watcher, metrics: metrics) { await deliver($0, .webhook) }
    }
  }

  /// Fetches once through the watcher, timing it, and delivers a moved tip.
  @discardableResult
  static func fetch(
    watcher: RevisionWatcher, metrics: ControllerMetrics,
    deliver: @Sendable (Commit) async -> Void
  ) async throws -> String {
    let previous = await watcher.current?.commit.id
    let start = ContinuousClock.now
    do {
      let revision = try await watcher.refresh()
      metrics.recordGitFetch(duration: ContinuousClock.now - start, succeeded: true)
      if revision.commit.id != previous { await deliver(revision.commit) }
      return revision.commit.id.description
    } catch {
      metrics.recordGitFetch(duration: ContinuousClock.now - start, succeeded: false)
      throw error
    }
  }

  /// Polls until the task is cancelled. The first fetch runs at once.
  public func run(metrics: ControllerMetrics) async {
    while !Task.isCancelled {
      let deliver = onRevision
      if let tip = try? await Self.fetch(
        watcher: watcher, metrics: metrics, deliver: { await deliver($0, .poll) })
      {
        await coalescer.observe(tip: tip)
      }
      let jitter = Double.random(in: 0..<0.1) * interval.seconds
      try? await Task.sleep(for: interval + .milliseconds(Int64(jitter * 1000)))
    }
  }
}

extension Duration {
  /// The duration in seconds, as a Double.
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
