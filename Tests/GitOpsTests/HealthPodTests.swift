import GitOps
import Testing
import YAML

@Suite struct HealthPodTests {
  static let runningContainer = """
      - name: user-service
        image: tripgen.azurecr.io/user-service@sha256:4b1c0e5f
        ready: true
        started: true
        restartCount: 0
        state:
          running:
            startedAt: "2026-11-27T04:10:20Z"
    """

  @Test func readyRunningPodIsHealthy() throws {
    let pod = try HealthFixtures.pod(
      phase: "Running", ready: true, containerStatuses: Self.runningContainer)
    #expect(HealthAssessor.assess(pod) == .healthy)
  }

  /// The seed's alert fires at exactly 5 restarts, even while the container is up and ready.
  @Test(arguments: [(4, HealthStatus.healthy), (5, .degraded), (12, .degraded)])
  func crashLoopThresholdIsFiveRestarts(restarts: Int, expected: HealthStatus) throws {
    let pod = try HealthFixtures.pod(
      phase: "Running", ready: true,
      containerStatuses: """
          - name: user-service
            ready: true
            restartCount: \(restarts)
            lastState:
              terminated:
                reason: Error
                exitCode: 1
                startedAt: "2026-11-27T04:20:00Z"
                finishedAt: "2026-11-27T04:20:41Z"
            state:
              running:
                startedAt: "2026-11-27T04:21:10Z"
        """)
    let assessment = HealthAssessor.assess(pod)
    #expect(assessment.status == expected)
    if expected == .degraded {
      #expect(
        assessment.message
          == "crash loop: container user-service restarted \(restarts) times "
          + "(last terminated: Error (exit code 1))")
    } else {
      #expect(assessment.message == nil)
    }
  }

  @Test func crashLoopBackOffNamesTheReasonAndTheRestarts() throws {
    let pod = try HealthFixtures.pod(
      phase: "Running", ready: false,
      containerStatuses: """
          - name: user-service
            ready: false
            started: false
            restartCount: 6
            lastState:
              terminated:
                reason: OOMKilled
                exitCode: 137
                startedAt: "2026-11-27T04:30:00Z"
                finishedAt: "2026-11-27T04:30:12Z"
            state:
              waiting:
                reason: CrashLoopBackOff
                message: back-off 5m0s restarting failed container=user-service pod=user-service-7c9f8d6b5-x2kqp(0a1b2c3d)
        """)
    #expect(
      HealthAssessor.assess(pod)
        == HealthAssessment(
          status: .degraded,
          message: "container user-service: CrashLoopBackOff: back-off 5m0s restarting failed "
            + "container=user-service pod=user-service-7c9f8d6b5-x2kqp(0a1b2c3d); "
            + "crash loop: container user-service restarted 6 times "
            + "(last terminated: OOMKilled (exit code 137))"))
  }

  @Test func oomKilledContainerIsNamed() throws {
    let pod = try HealthFixtures.pod(
      phase: "Running", ready: false,
      containerStatuses: """
          - name: user-service
            ready: false
            restartCount: 1
            lastState:
              terminated:
                reason: OOMKilled
                exitCode: 137
            state:
              terminated:
                reason: OOMKilled
                exitCode: 137
                startedAt: "2026-11-27T04:31:00Z"
                finishedAt: "2026-11-27T04:31:09Z"
        """)
    #expect(
      HealthAssessor.assess(pod)
        == HealthAssessment(
          status: .degraded, message: "container user-service: OOMKilled (exit code 137)"))
  }

  @Test func notReadyAfterATerminationIsDegraded() throws {
    let pod = try HealthFixtures.pod(
      phase: "Running", ready: false,
      containerStatuses: """
          - name: user-service
            ready: false
            restartCount: 1
            lastState:
              terminated:
                reason: OOMKilled
                exitCode: 137
            state:
              running:
                startedAt: "2026-11-27T04:32:00Z"
        """)
    #expect(
      HealthAssessor.assess(pod)
        == HealthAssessment(
          status: .degraded,
          message: "container user-service: last terminated: OOMKilled (exit code 137)"))
  }

  @Test func startingPodIsProgressingWithTheReadinessMessage() throws {
    let pod = try HealthFixtures.pod(
      phase: "Running", ready: false,
      containerStatuses: """
          - name: user-service
            ready: false
            restartCount: 0
            state:
              running:
                startedAt: "2026-11-27T04:10:20Z"
        """)
    #expect(
      HealthAssessor.assess(pod)
        == HealthAssessment(
          status: .progressing,
          message: "ContainersNotReady: containers with unready status: [user-service]"))
  }

  @Test func imagePullErrorsAreDegradedForLongRunningPods() throws {
    for (reason, message) in [
      ("ImagePullBackOff", "Back-off pulling image \"tripgen.azurecr.io/trip-service:0badc0de\""),
      ("ErrImagePull", "rpc error: code = NotFound desc = failed to pull and unpack image"),
      ("CreateContainerConfigError", "secret \"trip-db\" not found"),
    ] {
      let pod = try HealthFixtures.pod(
        phase: "Pending", ready: false,
        containerStatuses: """
            - name: trip-service
              ready: false
              restartCount: 0
              state:
                waiting:
                  reason: \(reason)
                  message: '\(message)'
          """)
      #expect(
        HealthAssessor.assess(pod)
          == HealthAssessment(
            status: .degraded, message: "container trip-service: \(reason): \(message)"))
    }
  }

  /// gitops-engine leaves hook pods Progressing on a waiting error, so a hook is not failed early.
  @Test func hookPodWaitingOnAnImageStaysProgressingWithTheReason() throws {
    let pod = try HealthFixtures.pod(
      name: "db-migrate-8kq2d", restartPolicy: "Never", phase: "Pending", ready: false,
      containerStatuses: """
          - name: migrate
            ready: false
            restartCount: 0
            state:
              waiting:
                reason: ImagePullBackOff
                message: Back-off pulling image "tripgen.azurecr.io/migrate:1"
        """)
    #expect(
      HealthAssessor.assess(pod)
        == HealthAssessment(
          status: .progressing,
          message: "container migrate: ImagePullBackOff: "
            + "Back-off pulling image \"tripgen.azurecr.io/migrate:1\""))
  }

  @Test func runningHookPodIsProgressingUnlessTheAnnotationSaysOtherwise() throws {
    let hook = try HealthFixtures.pod(
      name: "db-migrate-8kq2d", restartPolicy: "Never", phase: "Running", ready: true,
      containerStatuses: Self.runningContainer)
    #expect(
      HealthAssessor.assess(hook)
        == HealthAssessment(status: .progressing, message: "Pod is running"))
    let operated = try HealthFixtures.pod(
      name: "worker-0", restartPolicy: "OnFailure",
      annotations: "  annotations:\n    argocd.argoproj.io/ignore-restart-policy: \"true\"",
      phase: "Running", ready: true, containerStatuses: Self.runningContainer)
    #expect(HealthAssessor.assess(operated) == .healthy)
  }

  @Test func finishedPods() throws {
    let succeeded = try HealthFixtures.pod(
      restartPolicy: "Never", phase: "Succeeded", ready: false,
      containerStatuses: """
          - name: user-service
            ready: false
            restartCount: 0
            state:
              terminated:
                reason: Completed
                exitCode: 0
        """)
    #expect(HealthAssessor.assess(succeeded) == .healthy)

    let failed = try HealthFixtures.pod(
      restartPolicy: "Never", phase: "Failed", ready: false,
      containerStatuses: """
          - name: user-service
            ready: false
            restartCount: 0
            state:
              terminated:
                reason: Error
                exitCode: 3
        """)
    #expect(
      HealthAssessor.assess(failed)
        == HealthAssessment(
          status: .degraded, message: "container user-service: Error (exit code 3)"))
  }

  @Test func pendingPodNamesWhatItWaitsFor() throws {
    let unschedulable = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: ai-service-6d5f4-pq7rs, namespace: tripgen-dev}
      spec: {restartPolicy: Always}
      status:
        phase: Pending
        qosClass: Burstable
        conditions:
        - type: PodScheduled
          status: "False"
          reason: Unschedulable
          message: '0/3 nodes are available: 3 Insufficient memory.'
      """)
    #expect(
      HealthAssessor.assess(unschedulable)
        == HealthAssessment(
          status: .progressing,
          message: "Unschedulable: 0/3 nodes are available: 3 Insufficient memory."))

    let creating = try HealthFixtures.pod(
      phase: "Pending", ready: false,
      containerStatuses: """
          - name: user-service
            ready: false
            restartCount: 0
            state:
              waiting:
                reason: ContainerCreating
        """)
    #expect(
      HealthAssessor.assess(creating)
        == HealthAssessment(
          status: .progressing, message: "container user-service: ContainerCreating"))
  }

  @Test func initContainerFailuresCount() throws {
    let pod = try HealthFixtures.pod(
      phase: "Pending", ready: false,
      containerStatuses: """
          - name: user-service
            ready: false
            restartCount: 0
            state:
              waiting:
                reason: PodInitializing
        """,
      extraStatus: """
          initContainerStatuses:
          - name: wait-for-postgres
            ready: false
            restartCount: 5
            state:
              waiting:
                reason: CrashLoopBackOff
                message: back-off 2m40s restarting failed container=wait-for-postgres
        """)
    #expect(
      HealthAssessor.assess(pod)
        == HealthAssessment(
          status: .degraded,
          message: "container wait-for-postgres: CrashLoopBackOff: back-off 2m40s restarting "
            + "failed container=wait-for-postgres; "
            + "crash loop: container wait-for-postgres restarted 5 times"))
  }

  @Test func unknownPhase() throws {
    let pod = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: lost}
      status: {phase: Unknown, reason: NodeLost, message: Node aks-nodepool1-0 which was running pod lost is unresponsive}
      """)
    #expect(
      HealthAssessor.assess(pod)
        == HealthAssessment(
          status: .unknown,
          message: "NodeLost: Node aks-nodepool1-0 which was running pod lost is unresponsive"))
  }
}
