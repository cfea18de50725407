extension HealthAssessor {
  /// Argo CD's rules for CronJobs (its `batch/CronJob` health check): suspended is Suspended; the last
  /// run failed when no job is active and the last success is older than the last schedule; a CronJob
  /// that never succeeded yet, or whose job is running, is Healthy since nothing says it failed.
  static func cronJobHealth(_ cronJob: HealthObject) -> HealthAssessment {
    if cronJob.bool("spec", "suspend") {
      return .suspended("CronJob is suspended")
    }
    guard cronJob.at(["status"]) != nil else {
      return .progressing("Waiting for CronJob")
    }
    guard let lastSchedule = cronJob.string("status", "lastScheduleTime") else {
      return .healthy("CronJob has not been scheduled yet")
    }
    guard let lastSuccess = cronJob.string("status", "lastSuccessfulTime") else {
      return .healthy("CronJob has never completed successfully yet")
    }
    if !cronJob.array("status", "active").isEmpty {
      return .healthy("CronJob is running a job")
    }
    // Both are RFC 3339 UTC timestamps written by the controller in one format: text order is
    // time order.
    if lastSuccess < lastSchedule {
      return .degraded(
        "CronJob has not completed its last execution successfully (scheduled \(lastSchedule), "
          + "last success \(lastSuccess))")
    }
    return .healthy("CronJob has completed its last execution successfully")
  }
}
