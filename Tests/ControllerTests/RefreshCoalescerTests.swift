import Controller
import Synchronization
import Testing

@Suite struct RefreshCoalescerTests {
  /// A fetch that takes a while and reports the tip a test sets.
  final class Remote: Sendable {
    let tip = Mutex("c1")
    let fetches = Mutex(0)
    /// Like a Git fetch, it sees the refs as they were when it started.
    func fetch() async throws -> String {
      fetches.withLock { $0 += 1 }
      let seen = tip.withLock { $0 }
      try await Task.sleep(for: .milliseconds(50))
      return seen
    }
  }

  @Test func aBurstForOneCommitIsOneFetch() async {
    let remote = Remote()
    remote.tip.withLock { $0 = "c2" }
    let coalescer = RefreshCoalescer(window: .milliseconds(20)) { try await remote.fetch() }
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<1000 { group.addTask { await coalescer.request(after: "c2") } }
    }
    await coalescer.idle()
    // Requests after the fetch found c2 need nothing either.
    await coalescer.request(after: "c2")
    await coalescer.idle()
    #expect(remote.fetches.withLock { $0 } == 1)
  }

  @Test func aRequestForANewerCommitDuringAFetchGetsASecondFetch() async throws {
    let remote = Remote()
    remote.tip.withLock { $0 = "c2" }
    let coalescer = RefreshCoalescer(window: .milliseconds(5)) { try await remote.fetch() }
    await coalescer.request(after: "c2")
    while remote.fetches.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(1)) }
    // c3 lands while the first fetch runs: it cannot have seen it.
    remote.tip.withLock { $0 = "c3" }
    await coalescer.request(after: "c3")
    await coalescer.idle()
    #expect(remote.fetches.withLock { $0 } == 2)
  }

  @Test func aKnownTipNeedsNoFetch() async {
    let remote = Remote()
    let coalescer = RefreshCoalescer(window: .milliseconds(5)) { try await remote.fetch() }
    await coalescer.observe(tip: "c1")
    await coalescer.request(after: "c1")
    await coalescer.idle()
    #expect(remote.fetches.withLock { $0 } == 0)
  }
}
