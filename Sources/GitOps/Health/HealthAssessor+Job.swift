extension HealthAssessor {
  /// A Job is Degraded once it failed (`Failed`, or `FailureTarget` while its pods wind down),
  /// Healthy once `Complete`, Suspended while suspended, Progressing otherwise.
  static func jobHealth(_ job: HealthObject) -> HealthAssessment {
    // A condition without a status is taken as True, as gitops-engine reads conditions by type only.
    func holds(_ type: String) -> HealthCondition? {
      guard let condition = job.condition(type), condition.isTrue || condition.status.isEmpty else {
        return nil
      }
      return condition
    }
    if let failed = holds("Failed") ?? holds("FailureTarget") {
      return .degraded(failed.summary)
    }
    if let complete = holds("Complete") {
      return .healthy(complete.message.isEmpty ? nil : complete.message)
    }
    if let suspended = holds("Suspended") {
      return .suspended(suspended.message.isEmpty ? "Job is suspended" : suspended.message)
    }
    if job.bool("spec", "suspend") {
      return .suspended("Job is suspended")
    }
    let active = job.count("status", "active")
    let succeeded = job.count("status", "succeeded")
    let failed = job.count("status", "failed")
    return .progressing(
      "Job is running: \(active) active, \(succeeded) succeeded, \(failed) failed pods")
  }
}
