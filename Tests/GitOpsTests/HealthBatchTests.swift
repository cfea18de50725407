import GitOps
import Testing
import YAML

/// Jobs and CronJobs.
@Suite struct HealthBatchTests {
  static func job(spec: String = "", status: String) throws -> JSONValue {
    try HealthFixtures.object(
      """
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: db-migrate
        namespace: tripgen-dev
        annotations: {helm.sh/hook: pre-install}
      spec:
        backoffLimit: 2
      \(spec)
        template:
          spec:
            restartPolicy: Never
            containers: [{name: migrate, image: tripgen.azurecr.io/migrate:1}]
      status:
      \(status)
      """)
  }

  @Test func runningJobIsProgressing() throws {
    let job = try Self.job(
      status: "  startTime: \"2026-11-27T04:00:00Z\"\n  active: 1\n  failed: 1\n  ready: 0")
    #expect(
      HealthAssessor.assess(job)
        == HealthAssessment(
          status: .progressing, message: "Job is running: 1 active, 0 succeeded, 1 failed pods"))
  }

  @Test func completedJobIsHealthy() throws {
    let job = try Self.job(
      status: """
          startTime: "2026-11-27T04:00:00Z"
          completionTime: "2026-11-27T04:00:31Z"
          succeeded: 1
          conditions:
          - type: SuccessCriteriaMet
            status: "True"
            reason: CompletionsReached
            message: Reached expected number of succeeded pods
          - type: Complete
            status: "True"
            reason: CompletionsReached
            message: Reached expected number of succeeded pods
        """)
    #expect(
      HealthAssessor.assess(job)
        == HealthAssessment(
          status: .healthy, message: "Reached expected number of succeeded pods"))
  }

  @Test func failedJobNamesReasonAndMessage() throws {
    let job = try Self.job(
      status: """
          startTime: "2026-11-27T04:00:00Z"
          failed: 3
          conditions:
          - type: FailureTarget
            status: "True"
            reason: BackoffLimitExceeded
            message: Job has reached the specified backoff limit
          - type: Failed
            status: "True"
            reason: BackoffLimitExceeded
            message: Job has reached the specified backoff limit
        """)
    #expect(
      HealthAssessor.assess(job)
        == HealthAssessment(
          status: .degraded,
          message: "BackoffLimitExceeded: Job has reached the specified backoff limit"))
  }

  @Test func suspendedJob() throws {
    let job = try Self.job(
      spec: "  suspend: true",
      status: """
          conditions:
          - type: Suspended
            status: "True"
            reason: JobSuspended
            message: Job suspended
        """)
    #expect(
      HealthAssessor.assess(job) == HealthAssessment(status: .suspended, message: "Job suspended"))
    // Resumed: the condition turns False and the Job runs again.
    let resumed = try Self.job(
      status: """
          active: 1
          conditions:
          - type: Suspended
            status: "False"
            reason: JobResumed
            message: Job resumed
        """)
    #expect(HealthAssessor.assess(resumed).status == .progressing)
  }

  @Test func jobPodCrashLoopingOnFailureDegradesTheJob() throws {
    let job = try Self.job(status: "  active: 1")
    let pod = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: db-migrate-x7k2p}
      spec: {restartPolicy: OnFailure}
      status:
        phase: Running
        containerStatuses:
        - name: migrate
          restartCount: 5
          state:
            waiting: {reason: CrashLoopBackOff, message: back-off 1m20s restarting failed container=migrate}
      """)
    #expect(
      HealthAssessor.assess(job, pods: [pod])
        == HealthAssessment(
          status: .degraded,
          message: "pod db-migrate-x7k2p: crash loop: container migrate restarted 5 times"))
  }

  static func cronJob(spec: String = "", status: String?) throws -> JSONValue {
    try HealthFixtures.object(
      """
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: cleanup, namespace: tripgen-dev}
      spec:
        schedule: "*/15 * * * *"
      \(spec)
        jobTemplate: {spec: {template: {spec: {restartPolicy: OnFailure, containers: [{name: c, image: busybox}]}}}}
      \(status.map { "status:\n\($0)" } ?? "")
      """)
  }

  @Test func cronJobStates() throws {
    #expect(
      HealthAssessor.assess(try Self.cronJob(spec: "  suspend: true", status: "  {}"))
        == HealthAssessment(status: .suspended, message: "CronJob is suspended"))
    #expect(
      HealthAssessor.assess(try Self.cronJob(status: nil))
        == HealthAssessment(status: .progressing, message: "Waiting for CronJob"))
    #expect(
      HealthAssessor.assess(try Self.cronJob(status: "  {}"))
        == HealthAssessment(status: .healthy, message: "CronJob has not been scheduled yet"))
    #expect(
      HealthAssessor.assess(
        try Self.cronJob(status: "  lastScheduleTime: \"2026-11-27T04:45:00Z\""))
        == HealthAssessment(
          status: .healthy, message: "CronJob has never completed successfully yet"))
    let succeeded = """
        lastScheduleTime: "2026-11-27T04:45:00Z"
        lastSuccessfulTime: "2026-11-27T04:45:21Z"
      """
    #expect(
      HealthAssessor.assess(try Self.cronJob(status: succeeded))
        == HealthAssessment(
          status: .healthy, message: "CronJob has completed its last execution successfully"))
    let failed = """
        lastScheduleTime: "2026-11-27T05:00:00Z"
        lastSuccessfulTime: "2026-11-27T04:45:21Z"
      """
    #expect(
      HealthAssessor.assess(try Self.cronJob(status: failed))
        == HealthAssessment(
          status: .degraded,
          message: "CronJob has not completed its last execution successfully (scheduled "
            + "2026-11-27T05:00:00Z, last success 2026-11-27T04:45:21Z)"))
    let running =
      failed + "\n  active:\n  - {apiVersion: batch/v1, kind: Job, name: cleanup-29400300}"
    #expect(
      HealthAssessor.assess(try Self.cronJob(status: running))
        == HealthAssessment(status: .healthy, message: "CronJob is running a job"))
  }
}
