import YAML

extension HealthAssessor {
  /// A workload with a Degraded pod is Degraded, with that pod's reason: a Deployment whose pods crash
  /// loop still reports its replicas as merely unavailable, which would read as Progressing forever.
  ///
  /// Finished pods (phase Succeeded or Failed) and pods being deleted do not count: their controller
  /// already replaced them (an evicted pod of a Deployment) or retries (a failed attempt of a Job, whose
  /// own `Failed` condition says when retries are exhausted). Only a worse status than Degraded
  /// (Unknown) is kept over the pods' verdict.
  static func combine(_ own: HealthAssessment, withPods pods: [JSONValue]) -> HealthAssessment {
    let degradedPods = pods.map(HealthObject.init)
      .filter { pod in
        let phase = pod.string("status", "phase")
        return !pod.isBeingDeleted && phase != "Succeeded" && phase != "Failed"
      }
      .sorted { $0.name < $1.name }
      .compactMap { pod -> (name: String, assessment: HealthAssessment)? in
        let assessment = podHealth(pod)
        return assessment.status == .degraded ? (pod.name, assessment) : nil
      }
    guard let first = degradedPods.first, !own.status.isWorse(than: .degraded) else { return own }
    var message = "pod \(first.name): \(first.assessment.message ?? "Degraded")"
    if degradedPods.count > 1 {
      message += " (and \(degradedPods.count - 1) more degraded pods)"
    }
    if own.status == .degraded, let ownMessage = own.message {
      message = "\(ownMessage); \(message)"
    }
    return .degraded(message)
  }
}
