import Environments
import Foundation
import GitOps
import Kube
import Testing
import YAML

/// The sleep policy is the engine's: whoever syncs (the CLI, the CI step, the controller) applies
/// the replicas the sleep marker asks for, and an exempt Deployment keeps its own.
@Suite struct SleepPolicyTests {
  @Test func aSyncWhileAsleepAppliesZeroReplicasExceptToExemptDeployments() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    try fixture.repository.write(
      "charts/app/templates/keeper.yaml",
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: keeper
        annotations:
          tripgen.io/sleep: never
      spec:
        replicas: 1
        selector: {matchLabels: {app: keeper}}
        template:
          metadata: {labels: {app: keeper}}
          spec:
            containers: [{name: keeper, image: busybox:1.36}]

      """)
    try fixture.repository.commitAll("a Deployment that never sleeps")
    fixture.controllers.start()
    let marker = SleepMarker(
      client: fixture.client, environment: "test", namespace: GitOpsFixture.namespace)
    try await marker.write(SleepState(asleep: true, reason: "schedule", since: Date()))

    let desired = try await fixture.desired()
    let plan = try await fixture.engine.plan(desired)
    #expect(plan.asleep)
    let result = try await fixture.engine.sync(desired, options: GitOpsFixture.options())
    #expect(result.outcome == .succeeded)
    func replicas(_ name: String) -> Int? {
      fixture.object("apps/v1", "Deployment", name)?["spec"]?["replicas"]?.intValue
    }
    #expect(replicas("web") == 0)
    #expect(replicas("worker") == 0)
    #expect(replicas("keeper") == 1)
    // Asleep and in sync: a second sync writes nothing.
    #expect(
      try await fixture.engine.sync(desired, options: GitOpsFixture.options()).outcome == .unchanged
    )

    // Awake: Git's replicas again.
    try await marker.write(SleepState(asleep: false, reason: "schedule", since: Date()))
    _ = try await fixture.engine.sync(desired, options: GitOpsFixture.options())
    #expect(replicas("web") == 2)
    #expect(replicas("worker") == 1)
  }
}
