import Controller
import Environments
import Foundation
import TestSupport
import Testing
import YAML

/// The controller syncs through the GitOps engine: its inventory and history land in the cluster,
/// and a template removed from Git is pruned.
@Suite(.serialized) struct ControllerEngineSyncTests {
  @Test func syncsRecordInventoryAndHistoryAndPruneRemovedTemplates() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start(pollInterval: .seconds(1))
    let first = try fixture.work.git("rev-parse", "HEAD")
    #expect(await fixture.waitUntil { await fixture.status()?.syncedRevision == first })
    let database = ObjectKey(
      group: "apps", kind: "StatefulSet", namespace: ControllerFixture.namespace, name: "db")
    let web = ObjectKey(
      group: "apps", kind: "Deployment", namespace: ControllerFixture.namespace, name: "web")
    #expect(inventory(fixture).contains(database.description))
    #expect(inventory(fixture).contains(web.description))
    #expect(history(fixture).contains(first))
    #expect(fixture.liveObject("apps/v1", "StatefulSet", "db") != nil)

    try fixture.work.git("rm", "--quiet", "charts/app/templates/statefulset.yaml")
    let second = try fixture.work.commitAll("drop the database")
    try fixture.work.push()
    #expect(await fixture.waitUntil { await fixture.status()?.syncedRevision == second })
    #expect(fixture.liveObject("apps/v1", "StatefulSet", "db") == nil)
    #expect(fixture.liveObject("apps/v1", "Deployment", "web") != nil)
    #expect(!inventory(fixture).contains(database.description))
    #expect(inventory(fixture).contains(web.description))
    let recorded = history(fixture)
    #expect(recorded.contains(first) && recorded.contains(second))
    #expect(await fixture.status()?.status.objects.contains { $0.name == "db" } == false)
    await fixture.shutdown()
  }

  @Test func aRestartedControllerRollsBackToARevisionFromTheClusterHistory() async throws {
    let fixture = try await ControllerFixture(policy: .init(automated: false))
    let token = [(name: "Authorization", value: "Bearer api-token")]
    try await fixture.start()
    let first = try fixture.work.git("rev-parse", "HEAD")
    #expect(await fixture.waitUntil { await fixture.status()?.revision?.commit == first })
    _ = try await fixture.request("POST", "/api/v1/environments/test/sync", headers: token)
    #expect(await fixture.waitUntil { await fixture.status()?.syncedRevision == first })
    let second = try fixture.commit(greeting: "second")
    let delivery = fixture.pushDelivery(after: second)
    _ = try await fixture.request(
      "POST", "/api/webhook", body: delivery.body, headers: delivery.headers)
    #expect(await fixture.waitUntil { await fixture.status()?.revision?.commit == second })
    _ = try await fixture.request("POST", "/api/v1/environments/test/sync", headers: token)
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "second" })

    // A new process knows no syncs of its own; the history ConfigMap still lists the first.
    await fixture.stop()
    try await fixture.start()
    #expect(await fixture.waitUntil { await fixture.status()?.revision?.commit == second })
    #expect(await fixture.status()?.syncs.isEmpty == true)
    let rollback = try await fixture.request(
      "POST", "/api/v1/environments/test/rollback?revision=\(first)", headers: token)
    #expect(rollback.status == 202, "\(rollback.body)")
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "hello" })
    // Recorded once the sync finishes, just after the last apply.
    #expect(await fixture.waitUntil { history(fixture).contains("controller (rollback)") })
    let unknown = try await fixture.request(
      "POST", "/api/v1/environments/test/rollback?revision=\(String(repeating: "ab", count: 20))",
      headers: token)
    #expect(unknown.status == 409, "\(unknown.body)")
    await fixture.shutdown()
  }

  /// Every data value of the environment's ApplySet parent ConfigMap, joined.
  private func inventory(_ fixture: ControllerFixture) -> String {
    data(of: "tripgen-applyset-\(ControllerFixture.environment)", in: fixture)
  }

  /// The environment's history ConfigMap's `history.json`.
  private func history(_ fixture: ControllerFixture) -> String {
    data(of: "tripgen-history-\(ControllerFixture.environment)", in: fixture)
  }

  private func data(of configMap: String, in fixture: ControllerFixture) -> String {
    guard let values = fixture.liveObject("v1", "ConfigMap", configMap)?["data"]?.objectValue else {
      return ""
    }
    return values.values.compactMap(\.stringValue).joined(separator: "\n")
  }
}
