extension HealthAssessor {
  /// A ReplicaSet is Degraded when its controller reports `ReplicaFailure` (quota, admission), and
  /// Progressing until all its replicas are available.
  static func replicaSetHealth(_ replicaSet: HealthObject) -> HealthAssessment {
    guard replicaSet.generation <= replicaSet.observedGeneration else {
      return .progressing(
        "Waiting for rollout to finish: observed replica set generation less than desired generation"
      )
    }
    if let failure = replicaSet.condition("ReplicaFailure"), failure.isTrue {
      return .degraded(failure.summary)
    }
    let available = replicaSet.count("status", "availableReplicas")
    if let desired = replicaSet.int("spec", "replicas"), available < desired {
      return .progressing(
        "Waiting for rollout to finish: \(available) out of \(desired) new replicas are available..."
      )
    }
    return .healthy
  }
}
