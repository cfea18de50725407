extension HealthAssessor {
  /// kubectl's `rollout status` rules for StatefulSets: observed generation, ready replicas, then the
  /// update strategy (a partitioned rolling update is done when the pods above the partition are
  /// updated; OnDelete is never waited for; otherwise the update revision must become current).
  static func statefulSetHealth(_ statefulSet: HealthObject) -> HealthAssessment {
    if statefulSet.observedGeneration == 0
      || statefulSet.generation > statefulSet.observedGeneration
    {
      return .progressing("Waiting for statefulset spec update to be observed...")
    }
    let desired = statefulSet.int("spec", "replicas")
    let ready = statefulSet.count("status", "readyReplicas")
    let updated = statefulSet.count("status", "updatedReplicas")
    if let desired, ready < desired {
      return .progressing("Waiting for \(desired - ready) pods to be ready...")
    }
    let strategy = statefulSet.string("spec", "updateStrategy", "type") ?? "RollingUpdate"
    if strategy == "RollingUpdate",
      statefulSet.at(["spec", "updateStrategy", "rollingUpdate"]) != nil
    {
      if let desired,
        let partition = statefulSet.int("spec", "updateStrategy", "rollingUpdate", "partition"),
        updated < desired - partition
      {
        return .progressing(
          "Waiting for partitioned roll out to finish: \(updated) out of \(desired - partition) "
            + "new pods have been updated...")
      }
      return .healthy("partitioned roll out complete: \(updated) new pods have been updated...")
    }
    if strategy == "OnDelete" {
      return .healthy("statefulset has \(ready) ready pods")
    }
    let updateRevision = statefulSet.string("status", "updateRevision") ?? ""
    let currentRevision = statefulSet.string("status", "currentRevision") ?? ""
    if updateRevision != currentRevision {
      return .progressing(
        "waiting for statefulset rolling update to complete \(updated) pods at revision "
          + "\(updateRevision)...")
    }
    let current = statefulSet.count("status", "currentReplicas")
    return .healthy(
      "statefulset rolling update complete \(current) pods at revision \(currentRevision)...")
  }
}
