import Controller
import Foundation
import Kube
import Logging
import TestSupport
import Testing

/// Two candidates against the test API server, with client-go's timings scaled down fivefold.
@Suite struct LeaderElectionTests {
  static let timing = LeaderElector.Timing(
    leaseDuration: .seconds(3), renewDeadline: .seconds(2), retryPeriod: .milliseconds(400))

  static func client(_ server: KubeAPIServer) -> KubeClient {
    var configuration = KubeClientConfiguration(
      server: server.url, authentication: .none, namespace: "default")
    configuration.queriesPerSecond = 0
    return KubeClient(configuration: configuration, transport: KubeHTTPTransport())
  }

  static func elector(_ server: KubeAPIServer, _ identity: String) -> LeaderElector {
    LeaderElector(
      client: client(server), namespace: "default", identity: identity, timing: timing,
      logger: Logger(label: identity))
  }

  static func waitUntil(_ timeout: Duration, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if condition() { return true }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
  }

  @Test func oneLeadsAndTheOtherTakesOverWithinTheLeaseDurationWhenItDies() async throws {
    let server = try await KubeAPIServer()
    let a = Self.elector(server, "a")
    let b = Self.elector(server, "b")
    // A crash: the task ends without releasing the lease.
    let runA = Task { await a.run(releaseOnCancel: false) }
    let runB = Task { await b.run(releaseOnCancel: false) }
    #expect(await Self.waitUntil(.seconds(5)) { a.isLeader || b.isLeader })
    // Several renewals later there is still exactly one leader.
    try await Task.sleep(for: .seconds(1))
    #expect(a.isLeader != b.isLeader)
    let (leader, leaderTask, other) = a.isLeader ? (a, runA, b) : (b, runB, a)
    let lease = try #require(
      server.object(
        apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "default",
        name: "tripgen-controller"))
    #expect(lease["spec"]?["holderIdentity"]?.stringValue == leader.identity)
    #expect(lease["spec"]?["leaseDurationSeconds"]?.intValue == 3)

    leaderTask.cancel()
    await leaderTask.value
    let killed = ContinuousClock.now
    #expect(!leader.isLeader)
    #expect(await Self.waitUntil(.seconds(5)) { other.isLeader })
    let takeover = ContinuousClock.now - killed
    // Not before the dead leader's lease ran out (no split brain), and within one lease
    // duration plus two retry periods (and scheduling slack) after.
    #expect(takeover >= Self.timing.leaseDuration - Self.timing.retryPeriod * 2, "\(takeover)")
    #expect(
      takeover <= Self.timing.leaseDuration + Self.timing.retryPeriod * 2 + .seconds(1),
      "\(takeover)")
    let after = try #require(
      server.object(
        apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "default",
        name: "tripgen-controller"))
    #expect(after["spec"]?["holderIdentity"]?.stringValue == other.identity)
    #expect(after["spec"]?["leaseTransitions"]?.intValue == 1)
    runA.cancel()
    runB.cancel()
    await runA.value
    await runB.value
    await server.stop()
  }

  @Test func aCleanShutdownReleasesTheLeaseForAnImmediateTakeover() async throws {
    let server = try await KubeAPIServer()
    let a = Self.elector(server, "a")
    let runA = Task { await a.run(releaseOnCancel: true) }
    #expect(await Self.waitUntil(.seconds(5)) { a.isLeader })
    let b = Self.elector(server, "b")
    let runB = Task { await b.run(releaseOnCancel: false) }
    try await Task.sleep(for: .seconds(1))
    #expect(!b.isLeader)
    runA.cancel()
    await runA.value
    let released = ContinuousClock.now
    #expect(await Self.waitUntil(.seconds(5)) { b.isLeader })
    #expect(ContinuousClock.now - released < Self.timing.retryPeriod * 3)
    runB.cancel()
    await runB.value
    await server.stop()
  }

  @Test func aLeaderThatCannotRenewStepsDownWithinTheRenewDeadline() async throws {
    let server = try await KubeAPIServer()
    let a = Self.elector(server, "a")
    let runA = Task { await a.run(releaseOnCancel: false) }
    #expect(await Self.waitUntil(.seconds(5)) { a.isLeader })
    // The API server refuses every lease request from now on.
    server.inject(.status(500), pathContains: "/leases/", count: 1000)
    let cut = ContinuousClock.now
    #expect(await Self.waitUntil(.seconds(5)) { !a.isLeader })
    let stepDown = ContinuousClock.now - cut
    #expect(stepDown < Self.timing.leaseDuration, "\(stepDown)")
    runA.cancel()
    await runA.value
    await server.stop()
  }
}
