extension HealthAssessor {
  /// kubectl's `rollout status` rules, as gitops-engine applies them to Deployments.
  static func deploymentHealth(_ deployment: HealthObject) -> HealthAssessment {
    if deployment.bool("spec", "paused") {
      return .suspended("Deployment is paused")
    }
    guard deployment.generation <= deployment.observedGeneration else {
      return .progressing(
        "Waiting for rollout to finish: observed deployment generation less than desired generation"
      )
    }
    if let progressing = deployment.condition("Progressing"),
      progressing.reason == "ProgressDeadlineExceeded"
    {
      var message = "Deployment \"\(deployment.name)\" exceeded its progress deadline"
      if !progressing.message.isEmpty { message += ": \(progressing.message)" }
      return .degraded(message)
    }
    let updated = deployment.count("status", "updatedReplicas")
    let replicas = deployment.count("status", "replicas")
    let available = deployment.count("status", "availableReplicas")
    if let desired = deployment.int("spec", "replicas"), updated < desired {
      return .progressing(
        "Waiting for rollout to finish: \(updated) out of \(desired) new replicas have been updated..."
      )
    }
    if replicas > updated {
      return .progressing(
        "Waiting for rollout to finish: \(replicas - updated) old replicas are pending termination..."
      )
    }
    if available < updated {
      return .progressing(
        "Waiting for rollout to finish: \(available) of \(updated) updated replicas are available..."
      )
    }
    return .healthy
  }
}
