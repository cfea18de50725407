import GitOps
import Testing
import YAML

/// StatefulSet, DaemonSet and ReplicaSet rules (Deployments have their own suite).
@Suite struct HealthWorkloadTests {
  static func statefulSet(updateStrategy: String, status: String) throws -> JSONValue {
    try HealthFixtures.object(
      """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: postgres, namespace: tripgen-dev, generation: 2}
      spec:
        replicas: 3
        serviceName: postgres
        selector: {matchLabels: {app: postgres}}
        updateStrategy:
      \(updateStrategy)
      status:
      \(status)
      """)
  }

  @Test func statefulSetRollingUpdate() throws {
    let strategy = "    type: RollingUpdate"
    let unobserved = try Self.statefulSet(
      updateStrategy: strategy, status: "  observedGeneration: 1\n  replicas: 3")
    #expect(
      HealthAssessor.assess(unobserved)
        == HealthAssessment(
          status: .progressing, message: "Waiting for statefulset spec update to be observed..."))

    let notReady = try Self.statefulSet(
      updateStrategy: strategy,
      status: "  observedGeneration: 2\n  replicas: 3\n  readyReplicas: 1\n  currentReplicas: 3")
    #expect(
      HealthAssessor.assess(notReady)
        == HealthAssessment(status: .progressing, message: "Waiting for 2 pods to be ready..."))

    let rolling = try Self.statefulSet(
      updateStrategy: strategy,
      status: """
          observedGeneration: 2
          replicas: 3
          readyReplicas: 3
          currentReplicas: 2
          updatedReplicas: 1
          currentRevision: postgres-6b8f7d9c4d
          updateRevision: postgres-5c7d8e9f6a
        """)
    #expect(
      HealthAssessor.assess(rolling)
        == HealthAssessment(
          status: .progressing,
          message: "waiting for statefulset rolling update to complete 1 pods at revision "
            + "postgres-5c7d8e9f6a..."))

    let done = try Self.statefulSet(
      updateStrategy: strategy,
      status: """
          observedGeneration: 2
          replicas: 3
          readyReplicas: 3
          currentReplicas: 3
          updatedReplicas: 3
          currentRevision: postgres-5c7d8e9f6a
          updateRevision: postgres-5c7d8e9f6a
        """)
    #expect(
      HealthAssessor.assess(done)
        == HealthAssessment(
          status: .healthy,
          message: "statefulset rolling update complete 3 pods at revision postgres-5c7d8e9f6a..."))
  }

  @Test func statefulSetPartitionedRollout() throws {
    let strategy = "    type: RollingUpdate\n    rollingUpdate:\n      partition: 2"
    let waiting = try Self.statefulSet(
      updateStrategy: strategy,
      status: "  observedGeneration: 2\n  replicas: 3\n  readyReplicas: 3\n  updatedReplicas: 0")
    #expect(
      HealthAssessor.assess(waiting)
        == HealthAssessment(
          status: .progressing,
          message: "Waiting for partitioned roll out to finish: 0 out of 1 new pods have been "
            + "updated..."))
    let done = try Self.statefulSet(
      updateStrategy: strategy,
      status: "  observedGeneration: 2\n  replicas: 3\n  readyReplicas: 3\n  updatedReplicas: 1")
    #expect(
      HealthAssessor.assess(done)
        == HealthAssessment(
          status: .healthy,
          message: "partitioned roll out complete: 1 new pods have been updated..."))
  }

  @Test func statefulSetOnDeleteIsHealthyOnceReady() throws {
    let statefulSet = try Self.statefulSet(
      updateStrategy: "    type: OnDelete",
      status: """
          observedGeneration: 2
          replicas: 3
          readyReplicas: 3
          currentRevision: postgres-6b8f7d9c4d
          updateRevision: postgres-5c7d8e9f6a
        """)
    #expect(
      HealthAssessor.assess(statefulSet)
        == HealthAssessment(status: .healthy, message: "statefulset has 3 ready pods"))
  }

  static func daemonSet(strategy: String = "RollingUpdate", status: String) throws -> JSONValue {
    try HealthFixtures.object(
      """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: node-exporter, namespace: monitoring, generation: 3}
      spec:
        selector: {matchLabels: {app: node-exporter}}
        updateStrategy: {type: \(strategy)}
      status:
      \(status)
      """)
  }

  @Test func daemonSetRollout() throws {
    let unobserved = try Self.daemonSet(status: "  observedGeneration: 2")
    #expect(
      HealthAssessor.assess(unobserved).message
        == "Waiting for rollout to finish: observed daemon set generation less than desired generation"
    )
    let updating = try Self.daemonSet(
      status: """
          observedGeneration: 3
          desiredNumberScheduled: 3
          currentNumberScheduled: 3
          updatedNumberScheduled: 1
          numberAvailable: 3
          numberReady: 3
        """)
    #expect(
      HealthAssessor.assess(updating)
        == HealthAssessment(
          status: .progressing,
          message:
            "Waiting for daemon set \"node-exporter\" rollout to finish: 1 out of 3 new pods "
            + "have been updated..."))
    let unavailable = try Self.daemonSet(
      status: """
          observedGeneration: 3
          desiredNumberScheduled: 3
          updatedNumberScheduled: 3
          numberAvailable: 2
          numberUnavailable: 1
        """)
    #expect(
      HealthAssessor.assess(unavailable).message
        == "Waiting for daemon set \"node-exporter\" rollout to finish: 2 of 3 updated pods are "
        + "available...")
    let done = try Self.daemonSet(
      status: """
          observedGeneration: 3
          desiredNumberScheduled: 3
          updatedNumberScheduled: 3
          numberAvailable: 3
        """)
    #expect(HealthAssessor.assess(done) == .healthy)
    let onDelete = try Self.daemonSet(
      strategy: "OnDelete",
      status: "  observedGeneration: 3\n  desiredNumberScheduled: 3\n  updatedNumberScheduled: 1")
    #expect(
      HealthAssessor.assess(onDelete)
        == HealthAssessment(
          status: .healthy, message: "daemon set 1 out of 3 new pods have been updated"))
  }

  @Test func replicaSetFailureAndAvailability() throws {
    func replicaSet(_ status: String) throws -> JSONValue {
      try HealthFixtures.object(
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: user-service-7c9f8d6b5, generation: 1}
        spec: {replicas: 2}
        status:
        \(status)
        """)
    }
    let quota = try replicaSet(
      """
        observedGeneration: 1
        replicas: 0
        conditions:
        - type: ReplicaFailure
          status: "True"
          reason: FailedCreate
          message: 'pods "user-service-7c9f8d6b5-" is forbidden: exceeded quota: compute, requested: limits.memory=512Mi'
      """)
    #expect(
      HealthAssessor.assess(quota)
        == HealthAssessment(
          status: .degraded,
          message: "FailedCreate: pods \"user-service-7c9f8d6b5-\" is forbidden: exceeded quota: "
            + "compute, requested: limits.memory=512Mi"))
    let starting = try replicaSet("  observedGeneration: 1\n  replicas: 2\n  availableReplicas: 1")
    #expect(
      HealthAssessor.assess(starting).message
        == "Waiting for rollout to finish: 1 out of 2 new replicas are available...")
    let done = try replicaSet("  observedGeneration: 1\n  replicas: 2\n  availableReplicas: 2")
    #expect(HealthAssessor.assess(done) == .healthy)
  }

  @Test func statefulSetWithACrashLoopingPodIsDegraded() throws {
    let statefulSet = try Self.statefulSet(
      updateStrategy: "    type: RollingUpdate",
      status: "  observedGeneration: 2\n  replicas: 3\n  readyReplicas: 2")
    let pod = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: postgres-2}
      spec: {restartPolicy: Always}
      status:
        phase: Running
        containerStatuses:
        - name: postgres
          ready: true
          restartCount: 5
          state: {running: {startedAt: "2026-11-27T04:40:00Z"}}
      """)
    #expect(
      HealthAssessor.assess(statefulSet, pods: [pod])
        == HealthAssessment(
          status: .degraded,
          message: "pod postgres-2: crash loop: container postgres restarted 5 times"))
  }
}
