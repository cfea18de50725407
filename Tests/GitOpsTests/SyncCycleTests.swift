import Environments
import Foundation
import GitOps
import Kube
import Testing
import YAML

/// Full sync cycles of a small chart against the test API server with simulated controllers.
@Suite struct SyncCycleTests {
  @Test func firstSyncIntoAnEmptyNamespaceCreatesEverythingInOrder() async throws {
    let fixture = try await GitOpsFixture()
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    fixture.server.clearRequestLog()

    let result = try await fixture.engine.sync(
      try await fixture.desired(), options: GitOpsFixture.options())

    #expect(result.outcome == .succeeded)
    #expect(
      result.applied.map(\.description) == [
        "batch/Job:app-test/migrate",  // PreSync hook
        "/ConfigMap:app-test/settings", "/Service:app-test/web", "apps/Deployment:app-test/worker",
        "apps/Deployment:app-test/web",  // wave 1
      ])
    let web = try #require(fixture.object("apps/v1", "Deployment", "web"))
    #expect(
      web["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.stringValue
        == "registry.test:5000/web@\(GitOpsFixture.digest)")
    #expect(TrackingMarks.isOwned(web, by: "test"))
    #expect(
      web["metadata"]?["managedFields"]?[0]?["manager"]?.stringValue == GitOpsEngine.fieldManager)
    // The hook ran and was deleted as its policy says (hook-succeeded).
    #expect(fixture.object("batch/v1", "Job", "migrate") == nil)
    #expect(fixture.writes.contains("DELETE /apis/batch/v1/namespaces/app-test/jobs/migrate"))

    // The inventory lists the four resources (not the hook), as an ApplySet parent.
    let parent = try #require(fixture.object("v1", "ConfigMap", "tripgen-applyset-test"))
    let inventory = ApplySetInventory(environment: "test", namespace: GitOpsFixture.namespace)
    #expect(parent["metadata"]?["labels"]?[ApplySetInventory.idLabel]?.stringValue == inventory.id)
    #expect(
      parent["metadata"]?["annotations"]?[ApplySetInventory.groupKindsAnnotation]?.stringValue
        == "ConfigMap,Service,Deployment.apps")
    #expect(try await inventory.read(client: fixture.client).count == 4)
    #expect(
      web["metadata"]?["labels"]?[ApplySetInventory.partOfLabel]?.stringValue == inventory.id)
    #expect(result.historyID == 1)

    // A second sync finds nothing to do and writes nothing at all.
    fixture.server.clearRequestLog()
    let again = try await fixture.engine.sync(
      try await fixture.desired(), options: GitOpsFixture.options())
    #expect(again.outcome == .unchanged)
    #expect(fixture.writes.isEmpty)
  }

  @Test func aChangeOfOneValueWritesOneObjectAndNothingElse() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    _ = try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())

    try fixture.repository.write("environments/test/values.yaml", "greeting: good morning\n")
    try fixture.repository.commitAll("greet politely")
    fixture.server.clearRequestLog()
    let desired = try await fixture.desired()
    let plan = try await fixture.engine.plan(desired)
    let update = try #require(plan.objects.first { $0.action == .update })
    #expect(update.key.name == "settings")
    #expect(update.changedPaths == ["data.greeting"])
    #expect(plan.objects.filter { $0.action != .unchanged }.count == 1)

    let result = try await fixture.engine.sync(desired, options: GitOpsFixture.options())
    #expect(result.applied.map(\.name) == ["settings"])
    // One object, and the history entry of the sync.
    #expect(
      fixture.writes == [
        "PATCH /api/v1/namespaces/app-test/configmaps/settings",
        "PUT /api/v1/namespaces/app-test/configmaps/tripgen-history-test",
      ])
    #expect(
      fixture.object("v1", "ConfigMap", "settings")?["data"]?["greeting"]?.stringValue
        == "good morning")
  }

  @Test func removingATemplatePrunesExactlyThatObject() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    _ = try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())

    try fixture.repository.git("rm", "--quiet", "charts/app/templates/service.yaml")
    try fixture.repository.commitAll("no service")
    fixture.server.clearRequestLog()
    let result = try await fixture.engine.sync(
      try await fixture.desired(), options: GitOpsFixture.options())

    #expect(result.applied.isEmpty)
    #expect(result.pruned.map(\.description) == ["/Service:app-test/web"])
    #expect(fixture.object("v1", "Service", "web") == nil)
    #expect(fixture.object("v1", "ConfigMap", "settings") != nil)
    #expect(
      fixture.writes.filter { $0.hasPrefix("DELETE") } == [
        "DELETE /api/v1/namespaces/app-test/services/web"
      ])
    let inventory = ApplySetInventory(environment: "test", namespace: GitOpsFixture.namespace)
    #expect(try await inventory.read(client: fixture.client).count == 3)
  }

  @Test func aHookJobRunsBeforeTheDeployments() async throws {
    let fixture = try await GitOpsFixture()
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    fixture.server.clearRequestLog()
    _ = try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())

    let writes = fixture.writes
    let job = try #require(
      writes.firstIndex(of: "PATCH /apis/batch/v1/namespaces/app-test/jobs/migrate"))
    let jobDeleted = try #require(
      writes.firstIndex(of: "DELETE /apis/batch/v1/namespaces/app-test/jobs/migrate"))
    let firstDeployment = try #require(writes.firstIndex { $0.contains("/deployments/") })
    #expect(job < jobDeleted)
    #expect(jobDeleted < firstDeployment)
    // The Job completed before anything of the Sync phase was written.
    let configMap = try #require(writes.firstIndex { $0.hasSuffix("/configmaps/settings") })
    #expect(job < configMap)
  }

  @Test func aJobThatFailsStopsTheSyncAndIsReported() async throws {
    let fixture = try await GitOpsFixture()
    defer { Task { await fixture.stop() } }
    fixture.controllers.failJob("migrate", reason: "ImagePullBackOff")
    fixture.controllers.start()

    var failure: GitOpsError?
    do {
      _ = try await fixture.engine.sync(
        try await fixture.desired(), options: GitOpsFixture.options())
    } catch let error as GitOpsError {
      failure = error
    }
    let error = try #require(failure)
    guard case .degraded(let key, let message) = error else {
      Issue.record("expected a Degraded hook, got \(error)")
      return
    }
    #expect(key.description == "batch/Job:app-test/migrate")
    #expect(message.contains("ImagePullBackOff"), "\(message)")
    #expect("\(error)".contains("Job app-test/migrate is Degraded"))
    // Nothing of the Sync phase was applied; the failed Job stays for inspection (no hook-failed).
    #expect(fixture.object("apps/v1", "Deployment", "web") == nil)
    #expect(fixture.object("v1", "ConfigMap", "settings") == nil)
    #expect(fixture.object("batch/v1", "Job", "migrate") != nil)
    let entries = try await fixture.engine.history(of: try await fixture.desired().environment)
      .entries()
    #expect(entries.last?.result == "Failed")
    #expect(entries.last?.message?.contains("ImagePullBackOff") == true)
  }

  @Test func driftIsRevertedAndTheManagerItWasTakenFromIsReported() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    _ = try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())

    // Someone scales the worker by hand (kubectl edit: an update, its own field manager).
    let deployments = try await fixture.client.resource(apiVersion: "apps/v1", kind: "Deployment")
    var worker = try await fixture.client.get(
      deployments, namespace: GitOpsFixture.namespace, name: "worker")
    worker.set(["spec", "replicas"], 3)
    _ = try await fixture.client.update(worker, fieldManager: "kubectl-edit")

    let plan = try await fixture.engine.plan(try await fixture.desired())
    let drifted = try #require(plan.objects.first { $0.key.name == "worker" })
    #expect(drifted.action == .update)
    #expect(drifted.changedPaths == ["spec.replicas"])
    #expect(
      drifted.takenFields.contains { $0.contains(".spec.replicas") && $0.contains("kubectl-edit") })

    let events = EventLog()
    _ = try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())
    {
      events.append($0)
    }
    #expect(
      fixture.object("apps/v1", "Deployment", "worker")?["spec"]?["replicas"]?.intValue == 1)
    #expect(events.lines.contains("applied worker"))
  }

  @Test func ignoredDifferencesAreNeitherReportedNorWritten() async throws {
    let fixture = try await GitOpsFixture(
      withHook: false,
      extraSpec: """
          ignoreDifferences:
            - {group: apps, kind: Deployment, name: worker, jsonPointers: [/spec/replicas]}
        """)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    _ = try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())

    // An autoscaler (another manager) scales the worker: that field is not drift here.
    let deployments = try await fixture.client.resource(apiVersion: "apps/v1", kind: "Deployment")
    var worker = try await fixture.client.get(
      deployments, namespace: GitOpsFixture.namespace, name: "worker")
    worker.set(["spec", "replicas"], 4)
    _ = try await fixture.client.update(worker, fieldManager: "horizontal-pod-autoscaler")

    fixture.server.clearRequestLog()
    let result = try await fixture.engine.sync(
      try await fixture.desired(), options: GitOpsFixture.options())
    #expect(result.outcome == .unchanged)
    #expect(fixture.writes.isEmpty)
    #expect(
      fixture.object("apps/v1", "Deployment", "worker")?["spec"]?["replicas"]?.intValue == 4)
  }
}
