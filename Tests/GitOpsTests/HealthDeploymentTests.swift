import GitOps
import Testing
import YAML

@Suite struct HealthDeploymentTests {
  static let availableConditions = """
      conditions:
      - type: Available
        status: "True"
        reason: MinimumReplicasAvailable
        message: Deployment has minimum availability.
        lastUpdateTime: "2026-11-27T04:11:02Z"
        lastTransitionTime: "2026-11-27T04:11:02Z"
      - type: Progressing
        status: "True"
        reason: NewReplicaSetAvailable
        message: ReplicaSet "user-service-7c9f8d6b5" has successfully progressed.
        lastUpdateTime: "2026-11-27T04:11:02Z"
        lastTransitionTime: "2026-11-27T04:09:58Z"
    """

  @Test func rolledOutDeploymentIsHealthy() throws {
    let deployment = try HealthFixtures.deployment(
      status: """
          observedGeneration: 4
          replicas: 3
          updatedReplicas: 3
          readyReplicas: 3
          availableReplicas: 3
        \(Self.availableConditions)
        """)
    #expect(HealthAssessor.assess(deployment) == HealthAssessment(status: .healthy))
  }

  @Test func rolloutStepsAreProgressing() throws {
    let notObserved = try HealthFixtures.deployment(
      status: """
          observedGeneration: 3
          replicas: 3
          updatedReplicas: 3
          availableReplicas: 3
        """)
    #expect(
      HealthAssessor.assess(notObserved)
        == HealthAssessment(
          status: .progressing,
          message:
            "Waiting for rollout to finish: observed deployment generation less than desired generation"
        ))

    let updating = try HealthFixtures.deployment(
      status: """
          observedGeneration: 4
          replicas: 4
          updatedReplicas: 1
          availableReplicas: 3
          unavailableReplicas: 1
        """)
    #expect(
      HealthAssessor.assess(updating)
        == HealthAssessment(
          status: .progressing,
          message: "Waiting for rollout to finish: 1 out of 3 new replicas have been updated..."))

    let terminatingOld = try HealthFixtures.deployment(
      status: """
          observedGeneration: 4
          replicas: 4
          updatedReplicas: 3
          availableReplicas: 3
        """)
    #expect(
      HealthAssessor.assess(terminatingOld).message
        == "Waiting for rollout to finish: 1 old replicas are pending termination...")

    let becomingAvailable = try HealthFixtures.deployment(
      status: """
          observedGeneration: 4
          replicas: 3
          updatedReplicas: 3
          availableReplicas: 2
          unavailableReplicas: 1
        """)
    #expect(
      HealthAssessor.assess(becomingAvailable)
        == HealthAssessment(
          status: .progressing,
          message: "Waiting for rollout to finish: 2 of 3 updated replicas are available..."))
  }

  @Test func exceededProgressDeadlineIsDegraded() throws {
    let deployment = try HealthFixtures.deployment(
      status: """
          observedGeneration: 4
          replicas: 4
          updatedReplicas: 1
          availableReplicas: 3
          unavailableReplicas: 1
          conditions:
          - type: Available
            status: "True"
            reason: MinimumReplicasAvailable
            message: Deployment has minimum availability.
          - type: Progressing
            status: "False"
            reason: ProgressDeadlineExceeded
            message: ReplicaSet "user-service-5f6d7c8b9" has timed out progressing.
        """)
    #expect(
      HealthAssessor.assess(deployment)
        == HealthAssessment(
          status: .degraded,
          message: "Deployment \"user-service\" exceeded its progress deadline: "
            + "ReplicaSet \"user-service-5f6d7c8b9\" has timed out progressing."))
  }

  @Test func pausedDeploymentIsSuspended() throws {
    let deployment = try HealthFixtures.deployment(
      spec: "  paused: true",
      status: """
          observedGeneration: 3
          replicas: 3
          updatedReplicas: 0
          availableReplicas: 3
        """)
    #expect(
      HealthAssessor.assess(deployment)
        == HealthAssessment(status: .suspended, message: "Deployment is paused"))
  }

  @Test func podsPullingAnImageInVainDegradeTheDeployment() throws {
    let deployment = try HealthFixtures.deployment(
      status: """
          observedGeneration: 4
          replicas: 4
          updatedReplicas: 1
          availableReplicas: 3
          unavailableReplicas: 1
        """)
    let stuck = try HealthFixtures.pod(
      name: "user-service-5f6d7c8b9-q8wz4", phase: "Pending", ready: false,
      containerStatuses: """
          - name: user-service
            image: tripgen.azurecr.io/user-service:7f3a9c1
            imageID: ""
            ready: false
            started: false
            restartCount: 0
            state:
              waiting:
                reason: ImagePullBackOff
                message: Back-off pulling image "tripgen.azurecr.io/user-service:7f3a9c1"
        """)
    let healthy = try HealthFixtures.pod(
      name: "user-service-7c9f8d6b5-abcde", phase: "Running", ready: true,
      containerStatuses: """
          - name: user-service
            ready: true
            restartCount: 0
            state:
              running:
                startedAt: "2026-11-27T04:10:20Z"
        """)
    // Without its pods, the Deployment only looks slow.
    #expect(HealthAssessor.assess(deployment).status == .progressing)
    #expect(
      HealthAssessor.assess(deployment, pods: [healthy, stuck])
        == HealthAssessment(
          status: .degraded,
          message: "pod user-service-5f6d7c8b9-q8wz4: container user-service: ImagePullBackOff: "
            + "Back-off pulling image \"tripgen.azurecr.io/user-service:7f3a9c1\""))
    // Healthy pods change nothing.
    #expect(HealthAssessor.assess(deployment, pods: [healthy]).status == .progressing)
  }

  @Test func evictedAndTerminatingPodsDoNotCount() throws {
    let deployment = try HealthFixtures.deployment(
      status: """
          observedGeneration: 4
          replicas: 3
          updatedReplicas: 3
          availableReplicas: 3
        """)
    let evicted = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: user-service-7c9f8d6b5-old01
      spec:
        restartPolicy: Always
      status:
        phase: Failed
        reason: Evicted
        message: 'The node was low on resource: memory.'
      """)
    let terminating = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: user-service-7c9f8d6b5-old02
        deletionTimestamp: "2026-11-27T04:12:00Z"
      spec:
        restartPolicy: Always
      status:
        phase: Running
        containerStatuses:
        - name: user-service
          restartCount: 9
          state:
            waiting:
              reason: CrashLoopBackOff
      """)
    #expect(HealthAssessor.assess(deployment, pods: [evicted, terminating]) == .healthy)
    // The evicted pod on its own is Degraded with the kubelet's reason.
    #expect(
      HealthAssessor.assess(evicted)
        == HealthAssessment(
          status: .degraded, message: "Evicted: The node was low on resource: memory."))
    #expect(
      HealthAssessor.assess(terminating)
        == HealthAssessment(status: .progressing, message: "Pending deletion"))
  }

  @Test func extensionsGroupDeploymentUsesTheSameRules() throws {
    let deployment = try HealthFixtures.object(
      """
      apiVersion: extensions/v1beta1
      kind: Deployment
      metadata: {name: legacy, generation: 2}
      spec: {replicas: 2}
      status: {observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1}
      """)
    #expect(
      HealthAssessor.assess(deployment).message
        == "Waiting for rollout to finish: 1 of 2 updated replicas are available...")
  }
}
