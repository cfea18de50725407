import Controller
import Delivery
import Environments
import Foundation
import Kube
import TestSupport
import Testing
import YAML

/// Syncs, polling, drift, sleep and the API, against real Git and the test API server.
@Suite(.serialized) struct ControllerSyncTests {
  @Test func theFirstRevisionIsSyncedWithEventsAndStatus() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start()
    #expect(await fixture.waitUntil { await fixture.status()?.status.sync == .synced })
    #expect(fixture.liveGreeting() == "hello")
    let deployment = try #require(fixture.liveObject("apps/v1", "Deployment", "web"))
    #expect(deployment["spec"]?["replicas"]?.intValue == 2)
    #expect(TrackingMarks.isOwned(deployment, by: "test"))
    #expect(await fixture.waitUntil { await fixture.status()?.status.sync == .synced })
    let status = try #require(await fixture.status())
    #expect(status.status.objects.count == 3)
    // No controller rolls the Deployment out in the test API server: it stays Progressing.
    let web = try #require(status.status.objects.first { $0.name == "web" })
    #expect(web.health.status == .progressing)
    #expect(web.health.message != nil)
    // Health follows watch events: the rollout finishing makes it Healthy.
    fixture.kube.setStatus(
      apiVersion: "apps/v1", kind: "Deployment", namespace: ControllerFixture.namespace,
      name: "web",
      status: [
        "observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 2,
      ])
    #expect(
      await fixture.waitUntil {
        await fixture.status()?.status.objects.first { $0.name == "web" }?.health.status == .healthy
      })
    let events = try await fixture.client.list(
      fixture.client.resource(apiVersion: "v1", kind: "Event"))
    let updated = events.items.filter { $0["reason"]?.stringValue == "ResourceUpdated" }
    #expect(updated.count == 3)
    #expect(
      updated.contains {
        $0["involvedObject"]?["name"]?.stringValue == "web"
          && $0["involvedObject"]?["uid"] == deployment["metadata"]?["uid"]
      })
    let ready = try await fixture.request("GET", "/readyz")
    #expect(ready.status == 200)
    await fixture.shutdown()
  }

  @Test func pollingAloneSyncsWithinOneInterval() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start(pollInterval: .seconds(1))
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "hello" })
    try fixture.commit(greeting: "polled")
    let pushed = ContinuousClock.now
    #expect(await fixture.waitUntil(.seconds(5)) { fixture.liveGreeting() == "polled" })
    let synced = ContinuousClock.now
    // One interval, its 10 % jitter, and the fetch and apply.
    #expect(synced - pushed < .milliseconds(1100) + .milliseconds(900))
    #expect(await fixture.waitUntil { await fixture.status()?.syncs.count == 2 })
    #expect(await fixture.status()?.syncs.first?.trigger == .poll)
    await fixture.shutdown()
  }

  @Test func driftIsRevertedWhenSelfHealIsOn() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start()
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "hello" })
    #expect(await fixture.waitUntil { await fixture.status()?.status.sync == .synced })
    // `kubectl scale` / `kubectl edit` by someone: another field manager, forced.
    _ = try await fixture.client.apply(
      [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "web", "namespace": .string(ControllerFixture.namespace)],
        "spec": ["replicas": 5],
      ], fieldManager: "kubectl-edit", force: true)
    #expect(
      await fixture.waitUntil {
        fixture.liveObject("apps/v1", "Deployment", "web")?["spec"]?["replicas"]?.intValue == 2
      })
    #expect(await fixture.waitUntil { await fixture.status()?.status.sync == .synced })
    #expect(await fixture.status()?.syncs.first?.trigger == .selfHeal)
    let events = try await fixture.client.list(
      fixture.client.resource(apiVersion: "v1", kind: "Event"))
    #expect(events.items.contains { $0["reason"]?.stringValue == "DriftDetected" })
    #expect(events.items.contains { $0["reason"]?.stringValue == "SelfHealed" })
    await fixture.shutdown()
  }

  /// A server that refuses streaming lists (1.32 or later on an etcd older than 3.5.13) must not
  /// slow drift down: the watches fall back to list-then-watch and see the edits as quickly.
  @Test func driftIsRevertedWithinFiveSecondsWhenTheServerRefusesWatchList() async throws {
    let fixture = try await ControllerFixture(
      target: .testServer(.init(watchList: .refusedByStorage)))
    // The production backoff before a heal, so that the bound is what a cluster gets.
    try await fixture.start(selfHealBackoff: EnvironmentController.Options().selfHealBackoff)
    #expect(await fixture.waitUntil { await fixture.status()?.status.sync == .synced })
    let repair = try await fixture.driftByHand()
    #expect(repair.edited.greeting == "edited by hand")
    #expect(repair.edited.replicas == 5)
    let after = try #require(repair.revertedAfter, "the drift was not reverted")
    #expect(after < .seconds(5))
    // The watches did ask for streaming lists, and then watched from a plain list.
    let watches = fixture.kube.requestLog.filter { $0.query["watch"] == "1" }
    #expect(watches.contains { $0.query["sendInitialEvents"] == "true" })
    #expect(watches.contains { $0.query["sendInitialEvents"] == nil })
    await fixture.shutdown()
  }

  @Test func driftIsOnlyReportedWhenSelfHealIsOff() async throws {
    let fixture = try await ControllerFixture(policy: .init(selfHeal: false))
    try await fixture.start()
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "hello" })
    #expect(await fixture.waitUntil { await fixture.status()?.status.sync == .synced })
    _ = try await fixture.client.apply(
      [
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": ["name": "greeting", "namespace": .string(ControllerFixture.namespace)],
        "data": ["greeting": "edited by hand"],
      ], fieldManager: "kubectl-edit", force: true)
    #expect(await fixture.waitUntil { await fixture.status()?.status.sync == .outOfSync })
    let status = try #require(await fixture.status())
    #expect(status.status.objects.first { $0.name == "greeting" }?.sync == .outOfSync)
    try await Task.sleep(for: .seconds(1))
    #expect(fixture.liveGreeting() == "edited by hand")
    #expect(await fixture.status()?.syncs.count == 1)
    let events = try await fixture.client.list(
      fixture.client.resource(apiVersion: "v1", kind: "Event"))
    let drift = try #require(events.items.first { $0["reason"]?.stringValue == "DriftDetected" })
    #expect(drift["message"]?.stringValue?.contains("data.greeting") == true)
    #expect(drift["message"]?.stringValue?.contains("reporting only") == true)
    await fixture.shutdown()
  }

  @Test func sleepAndWakeByHandAreNotFoughtBySelfHeal() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start()
    #expect(await fixture.waitUntil { await fixture.status()?.status.sync == .synced })
    let sleeper = EnvironmentSleeper(
      client: fixture.client, environment: "test", namespace: ControllerFixture.namespace)
    let slept = try await sleeper.sleep()
    #expect(slept == ["web": 0])
    func replicas(_ kind: String, _ name: String) -> Int? {
      fixture.liveObject("apps/v1", kind, name)?["spec"]?["replicas"]?.intValue
    }
    #expect(replicas("Deployment", "web") == 0)
    #expect(replicas("StatefulSet", "db") == 1)
    // Longer than the self-heal backoff: the heal sync reads the marker and keeps zero.
    try await Task.sleep(for: .seconds(1))
    #expect(replicas("Deployment", "web") == 0)
    // A new revision while asleep is applied asleep too.
    let commit = try fixture.commit(greeting: "night", replicas: 3)
    let delivery = fixture.pushDelivery(after: commit)
    _ = try await fixture.request(
      "POST", "/api/webhook", body: delivery.body, headers: delivery.headers)
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "night" })
    #expect(replicas("Deployment", "web") == 0)
    let woke = try await sleeper.wake()
    #expect(woke == ["web": 2])
    // The heal that follows brings Git's replicas (3 now), not the remembered 2.
    #expect(await fixture.waitUntil { replicas("Deployment", "web") == 3 })
    #expect(replicas("StatefulSet", "db") == 1)
    await fixture.shutdown()
  }

  @Test func theScheduleSleepsAtNightAndWakesInTheMorning() async throws {
    let fixture = try await ControllerFixture(
      policy: .init(
        schedule:
          #"{timezone: Asia/Seoul, days: [Mon, Tue, Wed, Thu, Fri], wake: "08:00", sleep: "20:00"}"#
      ))
    // Wednesday 2026-11-25 23:00 in Seoul.
    fixture.clock.set(try! Date("2026-11-25T14:00:00Z", strategy: .iso8601))
    try await fixture.start()
    func replicas() -> Int? {
      fixture.liveObject("apps/v1", "Deployment", "web")?["spec"]?["replicas"]?.intValue
    }
    #expect(await fixture.waitUntil { replicas() == 0 })
    // The first revision's sync may already read the marker the schedule wrote (and apply zero
    // replicas): the schedule's own sync is recorded, but not necessarily before that moment.
    #expect(
      await fixture.waitUntil {
        await fixture.status()?.syncs.contains { $0.trigger == .schedule } == true
      })
    #expect(
      fixture.liveObject("apps/v1", "StatefulSet", "db")?["spec"]?["replicas"]?.intValue == 1)
    // Thursday 08:30 in Seoul.
    fixture.clock.set(try! Date("2026-11-25T23:30:00Z", strategy: .iso8601))
    #expect(await fixture.waitUntil { replicas() == 2 })
    // Saturday noon: the weekend sleeps.
    fixture.clock.set(try! Date("2026-11-28T03:00:00Z", strategy: .iso8601))
    #expect(await fixture.waitUntil { replicas() == 0 })
    await fixture.shutdown()
  }

  @Test func theAPIServesStatusAndGuardsWriteActions() async throws {
    let fixture = try await ControllerFixture(policy: .init(automated: false))
    try await fixture.start()
    #expect((try await fixture.request("GET", "/healthz")).status == 200)
    // Manual policy: nothing is applied until someone asks.
    try await Task.sleep(for: .milliseconds(500))
    #expect(fixture.liveGreeting() == nil)
    #expect(await fixture.status()?.status.sync == .outOfSync)
    let refused = try await fixture.request("POST", "/api/v1/environments/test/sync")
    #expect(refused.status == 401)
    let wrong = try await fixture.request(
      "POST", "/api/v1/environments/test/sync", headers: [("Authorization", "Bearer nope")])
    #expect(wrong.status == 401)
    let accepted = try await fixture.request(
      "POST", "/api/v1/environments/test/sync", headers: [("Authorization", "Bearer api-token")])
    #expect(accepted.status == 202)
    #expect(await fixture.waitUntil { await fixture.status()?.syncedRevision != nil })
    #expect(fixture.liveGreeting() == "hello")
    let first = try #require(await fixture.status()?.syncedRevision)
    // A second revision synced by hand, then a rollback to the first.
    let second = try fixture.commit(greeting: "second")
    _ = try await fixture.request(
      "POST", "/api/webhook", body: fixture.pushDelivery(after: second).body,
      headers: fixture.pushDelivery(after: second).headers)
    #expect(await fixture.waitUntil { await fixture.status()?.revision?.commit == second })
    _ = try await fixture.request(
      "POST", "/api/v1/environments/test/sync", headers: [("Authorization", "Bearer api-token")])
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "second" })
    let rollback = try await fixture.request(
      "POST", "/api/v1/environments/test/rollback?revision=\(first)",
      headers: [("Authorization", "Bearer api-token")])
    #expect(rollback.status == 202, "\(rollback.body)")
    #expect(await fixture.waitUntil { await fixture.status()?.syncs.first?.trigger == .rollback })
    #expect(fixture.liveGreeting() == "hello")

    let json = try await fixture.request("GET", "/api/v1/environments/test")
    #expect(json.status == 200)
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    let status = try decoder.decode(ControlledEnvironment.self, from: Data(json.body.utf8))
    #expect(status.name == "test")
    #expect(status.syncs.count == 3)
    #expect((try await fixture.request("GET", "/api/v1/environments/nope")).status == 404)
    let metrics = try await fixture.request("GET", "/metrics").body
    for name in [
      "tripgen_controller_reconciles_total", "tripgen_controller_reconcile_duration_seconds_bucket",
      "tripgen_controller_sync_results_total", "tripgen_controller_objects",
      "tripgen_controller_git_fetch_duration_seconds_bucket", "process_resident_memory_bytes",
    ] {
      #expect(metrics.contains(name), "\(name)")
    }
    await fixture.shutdown()
  }
}

/// Failed syncs: retried with the policy's backoff, then left alone until something changes.
@Suite(.serialized) struct ControllerRetryTests {
  @Test func aFailingRevisionIsRetriedWithBackoffAndNeverHotLoops() async throws {
    let fixture = try await ControllerFixture(
      policy: .init(retry: "{limit: 2, backoff: {duration: 200ms, factor: 2, maxDuration: 1s}}"))
    // Every attempt fails before writing: the server-side dry runs of its plan (one PATCH per
    // object, three objects) answer 500, three attempts in all.
    fixture.kube.inject(.status(500), method: "PATCH", count: 9)
    try await fixture.start()
    #expect(await fixture.waitUntil { await fixture.status()?.syncs.count == 3 })
    let syncs = try #require(await fixture.status()?.syncs)
    #expect(syncs.allSatisfy { $0.result == .failed })
    #expect(syncs.map(\.trigger) == [.retry, .retry, .poll])
    // Backoff: 200 ms before the first retry, 400 ms before the second.
    let gaps = zip(syncs.dropFirst(), syncs).map { $1.started.timeIntervalSince($0.finished) }
    #expect(gaps[1] >= 0.19, "\(gaps)")
    #expect(gaps[0] >= 0.39, "\(gaps)")
    // Limit reached: nothing more, however long we wait.
    try await Task.sleep(for: .seconds(1.5))
    #expect(await fixture.status()?.syncs.count == 3)
    #expect(await fixture.status()?.lastError?.contains("retries exhausted") == true)
    let events = try await fixture.client.list(
      fixture.client.resource(apiVersion: "v1", kind: "Event"))
    #expect(events.items.filter { $0["reason"]?.stringValue == "SyncFailed" }.count == 3)
    // A new revision is tried afresh (and the API server answers again).
    let commit = try fixture.commit(greeting: "fixed")
    let delivery = fixture.pushDelivery(after: commit)
    _ = try await fixture.request(
      "POST", "/api/webhook", body: delivery.body, headers: delivery.headers)
    #expect(await fixture.waitUntil { await fixture.status()?.syncedRevision == commit })
    #expect(fixture.liveGreeting() == "fixed")
    await fixture.shutdown()
  }
}
