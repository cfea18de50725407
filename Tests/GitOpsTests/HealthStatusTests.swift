import Foundation
import GitOps
import Testing
import YAML

/// The status order, aggregation, JSON form, and kinds without built-in rules.
@Suite struct HealthStatusTests {
  @Test func orderIsGitopsEngines() {
    let order: [HealthStatus] = [.healthy, .suspended, .progressing, .missing, .degraded, .unknown]
    #expect(HealthStatus.allCases.sorted { $0.severity < $1.severity } == order)
    for (index, status) in order.enumerated() {
      for worse in order[(index + 1)...] {
        #expect(worse.isWorse(than: status))
        #expect(!status.isWorse(than: worse))
      }
      #expect(!status.isWorse(than: status))
    }
  }

  @Test func aggregateIsTheWorstWithItsMessages() {
    let result = HealthAssessor.aggregate([
      (name: "Deployment/user-service", assessment: .healthy),
      (
        name: "Deployment/trip-service",
        assessment: HealthAssessment(status: .progressing, message: "Waiting for rollout")
      ),
      (
        name: "Job/db-migrate",
        assessment: HealthAssessment(status: .degraded, message: "BackoffLimitExceeded")
      ),
      (name: "Service/gateway", assessment: HealthAssessment(status: .missing, message: "absent")),
      (
        name: "Pod/ai-0",
        assessment: HealthAssessment(status: .degraded, message: "container ai: OOMKilled")
      ),
    ])
    #expect(
      result
        == HealthAssessment(
          status: .degraded,
          message: "Job/db-migrate: BackoffLimitExceeded; Pod/ai-0: container ai: OOMKilled"))
    #expect(HealthAssessor.aggregate([(name: String, assessment: HealthAssessment)]()) == .healthy)
    #expect(
      HealthAssessor.aggregate([.healthy, HealthAssessment(status: .suspended, message: "paused")])
        == HealthAssessment(status: .suspended, message: "paused"))
    #expect(
      HealthAssessor.aggregate([HealthAssessment(status: .unknown), .healthy]).status == .unknown)
  }

  @Test func encodesAsArgoDoes() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let text = String(
      decoding: try encoder.encode(
        HealthAssessment(status: .degraded, message: "crash loop: container a restarted 5 times")),
      as: UTF8.self)
    #expect(text == #"{"message":"crash loop: container a restarted 5 times","status":"Degraded"}"#)
    let decoded = try JSONDecoder().decode(
      HealthAssessment.self, from: Data(#"{"status":"Suspended"}"#.utf8))
    #expect(decoded == HealthAssessment(status: .suspended))
    #expect(HealthAssessment(status: .healthy, message: "") == .healthy)
  }

  @Test func kindsWithoutRulesFollowKstatusConventions() throws {
    let configMap = try HealthFixtures.object(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: user-service}\ndata: {LOG_LEVEL: info}")
    #expect(HealthAssessor.assess(configMap) == .healthy)

    func certificate(_ status: String) throws -> JSONValue {
      try HealthFixtures.object(
        """
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: tripgen-tls, generation: 2}
        spec: {secretName: tripgen-tls, dnsNames: [dev.tripgen.example]}
        status:
        \(status)
        """)
    }
    let issuing = try certificate(
      """
        conditions:
        - {type: Ready, status: "False", reason: DoesNotExist, message: Issuing certificate as Secret does not exist, observedGeneration: 2}
      """)
    #expect(
      HealthAssessor.assess(issuing)
        == HealthAssessment(
          status: .progressing,
          message: "DoesNotExist: Issuing certificate as Secret does not exist"))
    let stalled = try certificate(
      """
        conditions:
        - {type: Ready, status: "False", reason: Failed, message: order failed}
        - {type: Stalled, status: "True", reason: OrderFailed, message: 'ACME order failed: 429 rate limited'}
      """)
    #expect(
      HealthAssessor.assess(stalled)
        == HealthAssessment(
          status: .degraded, message: "OrderFailed: ACME order failed: 429 rate limited"))
    let stale = try certificate(
      "  observedGeneration: 1\n  conditions: [{type: Ready, status: \"True\"}]")
    #expect(HealthAssessor.assess(stale).status == .progressing)
    let ready = try certificate(
      "  observedGeneration: 2\n  conditions: [{type: Ready, status: \"True\"}]")
    #expect(HealthAssessor.assess(ready) == .healthy)
  }

  @Test func objectBeingDeletedIsProgressing() throws {
    let deployment = try HealthFixtures.object(
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: old, generation: 1, deletionTimestamp: "2026-11-27T04:50:00Z", finalizers: [foregroundDeletion]}
      spec: {replicas: 1}
      status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
      """)
    #expect(
      HealthAssessor.assess(deployment)
        == HealthAssessment(status: .progressing, message: "Pending deletion"))
  }
}
