import Environments
import Foundation
import GitOps
import Kube
import Testing
import YAML

/// Waves wait for health, which the tests drive through `/status` as controllers would.
@Suite struct WaveHealthWaitTests {
  @Test func theNextWaveWaitsUntilTheStatusSaysHealthy() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.stall("worker")
    fixture.controllers.start()
    let desired = try await fixture.desired()
    let engine = fixture.engine
    let events = EventLog()
    let sync = Task {
      try await engine.sync(desired, options: GitOpsFixture.options()) { events.append($0) }
    }
    // Wave 0 is applied; wave 1 (web) waits for worker, which reports no replicas yet.
    try await waitUntil { events.lines.contains { $0.hasPrefix("waiting worker Progressing") } }
    #expect(fixture.object("apps/v1", "Deployment", "web") == nil)

    fixture.controllers.release("worker")
    let result = try await sync.value
    #expect(result.outcome == .succeeded)
    let lines = events.lines
    let healthy = try #require(lines.firstIndex(of: "healthy worker"))
    let web = try #require(lines.lastIndex(of: "applied web"))
    #expect(healthy < web)
  }

  @Test func anObjectThatStaysProgressingTimesOutWithItsMessage() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.stall("worker")
    fixture.controllers.start()
    await #expect {
      try await fixture.engine.sync(
        try await fixture.desired(), options: GitOpsFixture.options(timeout: 0.5))
    } throws: { error in
      guard case GitOpsError.healthTimeout(let key, _, _) = error else { return false }
      return key.name == "worker"
    }
    #expect(fixture.object("apps/v1", "Deployment", "web") == nil)
  }

  @Test func retriesFollowTheSyncPolicysBackoff() async throws {
    let fixture = try await GitOpsFixture(
      syncPolicy:
        "{automated: false, prune: true, selfHeal: false, retry: {limit: 2, backoff: {duration: 10ms, factor: 2, maxDuration: 1s}}}",
      withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    // The first real write of the ConfigMap fails with a server error (injected once the plan's
    // dry runs passed); the retry succeeds.
    let events = EventLog()
    let server = fixture.server
    let injected = OnceFlag()
    let result = try await fixture.engine.sync(
      try await fixture.desired(), options: GitOpsFixture.options()
    ) { event in
      events.append(event)
      if case .planned = event, injected.claim() {
        server.inject(.status(500), method: "PATCH", pathContains: "/configmaps/settings")
      }
    }
    #expect(result.attempts == 2)
    #expect(events.lines.contains { $0.hasPrefix("retrying 1 0.01") })
  }
}

/// Progress events as short lines, for asserting order.
final class EventLog: @unchecked Sendable {
  private let lock = NSLock()
  private var entries: [String] = []

  func append(_ event: SyncEvent) {
    let line: String? =
      switch event {
      case .applied(let key, _, _): "applied \(key.name)"
      case .healthy(let key): "healthy \(key.name)"
      case .waiting(let key, let status, _): "waiting \(key.name) \(status)"
      case .pruned(let key): "pruned \(key.name)"
      case .retrying(let attempt, let delay, _): "retrying \(attempt) \(delay)"
      default: nil
      }
    if let line { lock.withLock { entries.append(line) } }
  }

  var lines: [String] { lock.withLock { entries } }
}

/// Polls a condition for up to five seconds.
func waitUntil(_ condition: @Sendable () -> Bool) async throws {
  for _ in 0..<250 {
    if condition() { return }
    try await Task.sleep(for: .milliseconds(20))
  }
  Issue.record("the condition did not become true within 5 s")
}

/// True the first time only.
final class OnceFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var claimed = false

  func claim() -> Bool {
    lock.withLock {
      defer { claimed = true }
      return !claimed
    }
  }
}
