extension HealthAssessor {
  /// kubectl's `rollout status` rules for DaemonSets: every scheduled node runs an updated, available pod.
  static func daemonSetHealth(_ daemonSet: HealthObject) -> HealthAssessment {
    guard daemonSet.generation <= daemonSet.observedGeneration else {
      return .progressing(
        "Waiting for rollout to finish: observed daemon set generation less than desired generation"
      )
    }
    let desired = daemonSet.count("status", "desiredNumberScheduled")
    let updated = daemonSet.count("status", "updatedNumberScheduled")
    let available = daemonSet.count("status", "numberAvailable")
    if daemonSet.string("spec", "updateStrategy", "type") == "OnDelete" {
      return .healthy("daemon set \(updated) out of \(desired) new pods have been updated")
    }
    if updated < desired {
      return .progressing(
        "Waiting for daemon set \"\(daemonSet.name)\" rollout to finish: \(updated) out of \(desired) "
          + "new pods have been updated...")
    }
    if available < desired {
      return .progressing(
        "Waiting for daemon set \"\(daemonSet.name)\" rollout to finish: \(available) of \(desired) "
          + "updated pods are available...")
    }
    return .healthy
  }
}
