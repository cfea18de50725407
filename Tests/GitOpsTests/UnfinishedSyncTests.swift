import Environments
import Foundation
import GitOps
import Kube
import Testing
import YAML

/// A sync that wrote and did not finish is recorded, and the next sync finishes its work; objects
/// the environment does not own are never taken over silently; writes stop when the gate closes.
@Suite struct UnfinishedSyncTests {
  /// A post-sync hook Job `seed`, which runs only after every resource wave is healthy.
  static func addPostSyncHook(_ fixture: GitOpsFixture) throws {
    try fixture.repository.write(
      "charts/app/templates/seed.yaml",
      """
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: seed
        annotations:
          helm.sh/hook: post-install,post-upgrade
          helm.sh/hook-delete-policy: before-hook-creation
      spec:
        backoffLimit: 0
        template:
          spec:
            restartPolicy: Never
            containers: [{name: seed, image: busybox:1.36}]

      """)
    try fixture.repository.commitAll("a post-sync hook")
  }

  @Test func aTimedOutWaveIsRecordedFailedAndTheNextSyncRunsTheHooksThatNeverRan() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    try Self.addPostSyncHook(fixture)
    fixture.controllers.stall("worker")
    fixture.controllers.start()
    let desired = try await fixture.desired()
    await #expect(throws: GitOpsError.self) {
      try await fixture.engine.sync(desired, options: GitOpsFixture.options(timeout: 0.3))
    }
    #expect(fixture.object("batch/v1", "Job", "seed") == nil)
    let history = fixture.engine.history(of: desired.environment)
    #expect(try await history.entries().map(\.result) == ["Failed"])

    // The images finished pulling: nothing differs any more, yet the sync is not "in sync" until
    // the hook ran and every object was seen healthy.
    fixture.controllers.release("worker")
    let plan = try await fixture.engine.plan(desired)
    #expect(plan.lastSyncIncomplete)
    let result = try await fixture.engine.sync(desired, options: GitOpsFixture.options())
    #expect(result.outcome == .succeeded)
    // web's wave never started; the hook never ran.
    #expect(result.applied.map(\.name) == ["web", "seed"])
    #expect(fixture.object("batch/v1", "Job", "seed") != nil)
    #expect(try await history.entries().map(\.result) == ["Failed", "Succeeded"])

    // Finished: the next sync has nothing to do and records nothing.
    let again = try await fixture.engine.sync(desired, options: GitOpsFixture.options())
    #expect(again.outcome == .unchanged)
    #expect(try await history.entries().count == 2)
  }

  @Test func aRetryAfterATimeoutFinishesTheWorkAndIsRecordedOnce() async throws {
    let fixture = try await GitOpsFixture(
      syncPolicy:
        "{automated: false, prune: true, selfHeal: false, retry: {limit: 1, backoff: {duration: 10ms, factor: 2, maxDuration: 1s}}}",
      withHook: false)
    defer { Task { await fixture.stop() } }
    try Self.addPostSyncHook(fixture)
    fixture.controllers.stall("worker")
    fixture.controllers.start()
    let server = fixture.controllers
    let released = OnceFlag()
    let result = try await fixture.engine.sync(
      try await fixture.desired(), options: GitOpsFixture.options(timeout: 0.3)
    ) { event in
      if case .retrying = event, released.claim() { server.release("worker") }
    }
    #expect(result.outcome == .succeeded)
    #expect(result.attempts == 2)
    #expect(fixture.object("batch/v1", "Job", "seed") != nil)
    let history = fixture.engine.history(of: try await fixture.desired().environment)
    #expect(try await history.entries().map(\.result) == ["Succeeded"])
  }

  @Test func anUntrackedObjectIsNamedInThePlanAndAdoptedOnlyWhenAsked() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    // Someone created a ConfigMap `settings` by hand, before the environment was ever synced.
    _ = try await fixture.client.create([
      "apiVersion": "v1", "kind": "ConfigMap",
      "metadata": ["name": "settings", "namespace": .string(GitOpsFixture.namespace)],
      "data": ["greeting": "by hand"],
    ])
    let desired = try await fixture.desired()
    let plan = try await fixture.engine.plan(desired)
    let settings = try #require(plan.objects.first { $0.key.name == "settings" })
    #expect(settings.untracked)
    #expect(settings.action == .update)
    #expect(settings.note?.contains("--adopt") == true)
    #expect(plan.untracked.map(\.key.name) == ["settings"])

    do {
      fixture.server.clearRequestLog()
      await #expect {
        try await fixture.engine.sync(desired, options: GitOpsFixture.options())
      } throws: { error in
        guard case GitOpsError.adoptionRefused(let keys) = error else { return false }
        return keys.map(\.name) == ["settings"]
          && "\(error)".contains("ConfigMap app-test/settings")
      }
      #expect(fixture.writes.isEmpty, "refused before any write: \(fixture.writes)")
      #expect(
        fixture.object("v1", "ConfigMap", "settings")?["data"]?["greeting"] == "by hand")
    }

    var adopt = GitOpsFixture.options()
    adopt.adopt = true
    let result = try await fixture.engine.sync(desired, options: adopt)
    #expect(result.outcome == .succeeded)
    let adopted = try #require(fixture.object("v1", "ConfigMap", "settings"))
    #expect(adopted["data"]?["greeting"] == "hello")
    #expect(TrackingMarks.isOwned(adopted, by: "test"))
  }

  @Test func theAdoptAnnotationOnTheLiveObjectAllowsTheTakeOver() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    _ = try await fixture.client.create([
      "apiVersion": "v1", "kind": "ConfigMap",
      "metadata": [
        "name": "settings", "namespace": .string(GitOpsFixture.namespace),
        "annotations": ["tripgen.io/adopt": "true"],
      ],
      "data": ["greeting": "by hand"],
    ])
    let result = try await fixture.engine.sync(
      try await fixture.desired(), options: GitOpsFixture.options())
    #expect(result.outcome == .succeeded)
    #expect(fixture.object("v1", "ConfigMap", "settings")?["data"]?["greeting"] == "hello")
  }

  @Test func aClosedWriteGateStopsTheSyncAndNothingIsWrittenAfterIt() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    let desired = try await fixture.desired()
    // Wave 0 writes the inventory, the ConfigMap, the Service and the worker Deployment, in that
    // order. The lease is lost after the third write: the gate refuses from then on.
    let gate = CountingGate(openFor: 3)
    var options = GitOpsFixture.options()
    options.writeGate = { try gate.pass() }
    fixture.server.clearRequestLog()
    await #expect {
      try await fixture.engine.sync(desired, options: options)
    } throws: { error in
      guard case GitOpsError.cancelled = error else { return false }
      return true
    }
    #expect(fixture.writes.count == 3, "\(fixture.writes)")
    // Not even the history entry: recording is a write too.
    #expect(fixture.object("v1", "ConfigMap", "tripgen-history-test") == nil)
  }

  @Test func aPreviousHookRunHeldByAFinalizerFailsTheSyncInsteadOfBlockingIt() async throws {
    let fixture = try await GitOpsFixture()
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    let desired = try await fixture.desired()
    _ = try await fixture.engine.sync(desired, options: GitOpsFixture.options())
    // The hook's Job stays (its delete policy keeps it until the next run); a finalizer nobody
    // removes holds its deletion.
    _ = try await fixture.client.create([
      "apiVersion": "batch/v1", "kind": "Job",
      "metadata": [
        "name": "migrate", "namespace": .string(GitOpsFixture.namespace),
        "labels": [
          TrackingMarks.managedByLabel: .string(TrackingMarks.managedByValue),
          TrackingMarks.environmentLabel: "test",
        ],
        "finalizers": ["example.com/held"],
      ],
      "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": []]]],
    ])
    try fixture.repository.write("environments/test/values.yaml", "greeting: changed\n")
    try fixture.repository.commitAll("a change that runs the hook again")
    let started = ContinuousClock.now
    await #expect {
      try await fixture.engine.sync(
        try await fixture.desired(), options: GitOpsFixture.options(timeout: 0.5))
    } throws: { error in
      guard case GitOpsError.hookDeletionTimeout(let key, _, let finalizers) = error else {
        return false
      }
      return key.name == "migrate" && finalizers.contains("example.com/held")
    }
    #expect(ContinuousClock.now - started < .seconds(5))
  }
}

/// A write gate that lets `openFor` writes through, then refuses.
final class CountingGate: @unchecked Sendable {
  private let lock = NSLock()
  private var remaining: Int

  init(openFor count: Int) { remaining = count }

  struct Closed: Error {}

  func pass() throws {
    try lock.withLock {
      guard remaining > 0 else { throw Closed() }
      remaining -= 1
    }
  }
}
