import Controller
import Foundation
import Kube
import TestSupport
import Testing
import YAML

/// A leader whose lease is taken over in the middle of a sync writes nothing more: each write of a
/// sync is preceded by a read of the Lease (the engine's write gate).
@Suite struct ControllerLeaseLossTests {
  @Test func aLeaderThatLostTheLeaseMidSyncWritesNothingMore() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start(
      leaseNamespace: ControllerFixture.namespace,
      timing: .init(
        leaseDuration: .seconds(3), renewDeadline: .seconds(2), retryPeriod: .milliseconds(400)))
    #expect(await fixture.waitUntil { await fixture.status()?.syncedRevision != nil })

    // A new revision changes the ConfigMap and the Deployment; the ConfigMap's write is held by
    // the server for a second (logged when it arrives), and the lease is taken over meanwhile.
    let server = fixture.kube
    server.clearRequestLog()
    server.inject(.delay(1), method: "PATCH", pathContains: "/configmaps/greeting", dryRun: false)
    let revision = try fixture.commit(greeting: "second", replicas: 3)
    _ = try await fixture.request(
      "POST", "/api/webhook", body: fixture.pushDelivery(after: revision).body,
      headers: fixture.pushDelivery(after: revision).headers)
    func isWrite(_ request: KubeAPIServer.LoggedRequest) -> Bool {
      ["POST", "PUT", "PATCH", "DELETE"].contains(request.method) && request.query["dryRun"] == nil
    }
    #expect(
      await fixture.waitUntil {
        server.requestLog.contains { isWrite($0) && $0.path.hasSuffix("/configmaps/greeting") }
      })
    // Another replica takes the lease (through its own identity, so its writes are told apart).
    server.acceptToken("other-token", user: "other-replica")
    var configuration = KubeClientConfiguration(
      server: server.url, authentication: .token("other-token"),
      namespace: ControllerFixture.namespace)
    configuration.queriesPerSecond = 0
    let other = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    let leases = try await other.resource(apiVersion: "coordination.k8s.io/v1", kind: "Lease")
    var lease = try #require(
      try await other.getIfPresent(
        leases, namespace: ControllerFixture.namespace, name: "tripgen-controller"))
    lease.set(["spec", "holderIdentity"], "controller-1")
    lease.set(["spec", "leaseDurationSeconds"], 3600)
    _ = try await other.update(lease)
    let takenAt = server.requestLog.count

    // The held write finishes; the Deployment is never written by the old leader.
    try await Task.sleep(for: .seconds(3))
    let after = server.requestLog.dropFirst(takenAt).filter {
      isWrite($0) && $0.user != "other-replica"
    }
    #expect(after.isEmpty, "\(after.map { "\($0.method) \($0.path)" })")
    #expect(fixture.liveObject("apps/v1", "Deployment", "web")?["spec"]?["replicas"] == 2)
    #expect(fixture.controller?.isLeader == false)
    await fixture.shutdown()
  }
}
