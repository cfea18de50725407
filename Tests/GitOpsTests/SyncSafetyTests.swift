import Environments
import Foundation
import GitOps
import Kube
import Testing
import YAML

/// What the engine refuses to do, and what it leaves alone.
@Suite struct SyncSafetyTests {
  @Test func aBrokenChartInANewCommitChangesNothingAndNamesFileAndLine() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    _ = try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())

    try fixture.repository.write("environments/test/values.yaml", "greeting: changed\n")
    try fixture.repository.write(
      "charts/app/templates/broken.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  a: {{ .Values.greeting | nosuchfunction }}\n"
    )
    try fixture.repository.commitAll("a broken template")
    fixture.server.clearRequestLog()
    var message = ""
    do {
      let desired = try await fixture.desired()
      _ = try await fixture.engine.sync(desired, options: GitOpsFixture.options())
      Issue.record("the broken chart rendered")
    } catch {
      message = "\(error)"
    }
    // Helm names templates by chart name: app/templates/... of chart charts/app.
    #expect(message.contains("chart charts/app"), "\(message)")
    #expect(message.contains("app/templates/broken.yaml:6"), "\(message)")
    // (The simulated controllers keep reading; the engine never got to send anything.)
    #expect(fixture.writes.isEmpty)
    #expect(!fixture.server.requestLog.contains { $0.query["dryRun"] != nil })
    #expect(
      fixture.object("v1", "ConfigMap", "settings")?["data"]?["greeting"]?.stringValue == "hello")
  }

  @Test func anObjectTheServerRejectsStopsEverythingBeforeTheFirstWrite() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    // A name the API refuses (422 Invalid) in a later wave than the ConfigMap.
    try fixture.repository.write(
      "charts/app/templates/bad-name.yaml",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: Bad_Name\nspec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec: {containers: [{name: x, image: x}]}\n"
    )
    try fixture.repository.commitAll("an invalid name")
    fixture.server.clearRequestLog()
    await #expect {
      try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())
    } throws: { error in
      guard case GitOpsError.validation(let problems) = error else { return false }
      return problems.count == 1 && problems[0].source == "app/templates/bad-name.yaml"
        || problems[0].source?.hasSuffix("templates/bad-name.yaml") == true
    }
    #expect(fixture.writes.isEmpty)
  }

  @Test func aNeededImageWithoutDigestIsWaitingAndNothingIsApplied() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.server.clearRequestLog()
    await #expect {
      try await fixture.engine.sync(
        try await fixture.desired(digest: nil), options: GitOpsFixture.options())
    } throws: { error in
      guard case GitOpsError.waitingForImages(let images) = error else { return false }
      return images.map(\.name) == ["web"] && "\(error)".contains("registry.test:5000/web:src-1")
    }
    #expect(fixture.server.requestLog.isEmpty)
  }

  @Test func aCopiedObjectWithOurLabelsButAForeignTrackingIDIsLeftAlone() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    _ = try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())

    // Someone copies our ConfigMap under another name: labels and tracking id come along.
    let original = try #require(fixture.object("v1", "ConfigMap", "settings"))
    let copy: JSONValue = [
      "apiVersion": "v1", "kind": "ConfigMap",
      "metadata": [
        "name": "settings-copy", "namespace": .string(GitOpsFixture.namespace),
        "labels": original["metadata"]?["labels"] ?? [:],
        "annotations": original["metadata"]?["annotations"] ?? [:],
      ],
      "data": original["data"] ?? [:],
    ]
    _ = try await fixture.client.create(copy)
    // And the Service the chart drops is replaced by hand by one that claims another identity.
    try fixture.repository.git("rm", "--quiet", "charts/app/templates/service.yaml")
    try fixture.repository.commitAll("no service")
    let services = try await fixture.client.resource(apiVersion: "v1", kind: "Service")
    var service = try await fixture.client.get(
      services, namespace: GitOpsFixture.namespace, name: "web")
    service.set(
      ["metadata", "annotations", TrackingMarks.trackingIDAnnotation],
      "test:/Service:app-test/other")
    _ = try await fixture.client.update(service)

    let result = try await fixture.engine.sync(
      try await fixture.desired(), options: GitOpsFixture.options(prune: true))
    #expect(result.pruned.isEmpty)
    #expect(fixture.object("v1", "ConfigMap", "settings-copy") != nil)
    #expect(fixture.object("v1", "Service", "web") != nil)
    let skipped = try #require(result.plan.prune.first)
    #expect(skipped.action == .skip && skipped.note?.contains("not ours") == true)
  }

  @Test func aPruneOfMoreThanHalfTheObjectsAsksForPermission() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    _ = try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())

    for name in ["service", "web", "worker"] {
      try fixture.repository.git("rm", "--quiet", "charts/app/templates/\(name).yaml")
    }
    try fixture.repository.commitAll("almost everything goes")
    fixture.server.clearRequestLog()
    await #expect {
      try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())
    } throws: { error in
      guard case GitOpsError.massPrune(let count, let total, _) = error else { return false }
      return count == 3 && total == 4 && "\(error)".contains("--allow-mass-prune")
    }
    #expect(fixture.writes.isEmpty)

    var options = GitOpsFixture.options()
    options.allowMassPrune = true
    let result = try await fixture.engine.sync(try await fixture.desired(), options: options)
    #expect(result.pruned.count == 3)
    #expect(fixture.object("apps/v1", "Deployment", "web") == nil)
  }

  @Test func anInterruptedSyncResumesOnTheNextRun() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    let desired = try await fixture.desired()
    let engine = fixture.engine

    // Cancel as soon as the first object is applied, as Ctrl-C would.
    let handle = TaskHandle()
    let task = Task {
      try await engine.sync(desired, options: GitOpsFixture.options()) { event in
        if case .applied = event { handle.cancel() }
      }
    }
    handle.set(task)
    var applied: [ObjectKey] = []
    do {
      _ = try await task.value
      Issue.record("the sync was not cancelled")
    } catch GitOpsError.cancelled(let keys) {
      applied = keys
    }
    #expect(applied.map(\.name) == ["settings"])
    #expect(fixture.object("v1", "ConfigMap", "settings") != nil)
    #expect(fixture.object("v1", "Service", "web") == nil)
    // The inventory already lists everything, so nothing can escape a later prune.
    let inventory = ApplySetInventory(environment: "test", namespace: GitOpsFixture.namespace)
    #expect(try await inventory.read(client: fixture.client).count == 4)

    fixture.server.clearRequestLog()
    let resumed = try await engine.sync(desired, options: GitOpsFixture.options())
    #expect(resumed.applied.map(\.name) == ["web", "worker", "web"])
    #expect(resumed.plan.objects.first { $0.key.name == "settings" }?.action == .unchanged)
    #expect(!fixture.writes.contains { $0.hasSuffix("/configmaps/settings") })
    let history = try await engine.history(of: desired.environment).entries()
    #expect(history.map(\.result) == ["Cancelled", "Succeeded"])
  }
}

/// Lets a progress callback cancel the task it reports for.
final class TaskHandle: @unchecked Sendable {
  private let lock = NSLock()
  private var task: Task<SyncResult, any Error>?
  private var cancelled = false

  func set(_ task: Task<SyncResult, any Error>) {
    let cancelNow = lock.withLock {
      self.task = task
      return cancelled
    }
    if cancelNow { task.cancel() }
  }

  func cancel() {
    let task = lock.withLock {
      cancelled = true
      return self.task
    }
    task?.cancel()
  }
}
