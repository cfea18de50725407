import YAML

extension HealthAssessor {
  /// The annotation in which autoscaling/v1 objects carry the conditions of the newer versions.
  static let autoscalerConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions"

  /// An autoscaler is Degraded when it cannot read the scale or its metrics (gitops-engine's list:
  /// `AbleToScale` FailedGetScale / FailedUpdateScale, `ScalingActive` FailedGetResourceMetric /
  /// InvalidSelector, and the other `Failed*` / `Invalid*` reasons of the controller), Suspended when
  /// scaling is disabled (the target has 0 replicas), Healthy when able to scale and active, and
  /// Progressing ("Waiting to Autoscale") before the controller reported anything.
  static func horizontalPodAutoscalerHealth(_ autoscaler: HealthObject) -> HealthAssessment {
    var conditions = autoscaler.conditions
    if conditions.isEmpty,
      let annotation = autoscaler.string(
        "metadata", "annotations", autoscalerConditionsAnnotation),
      case .array(let entries)? = try? YAML.loadOne(annotation)
    {
      conditions = entries.map(HealthCondition.init)
    }
    guard !conditions.isEmpty else { return .progressing("Waiting to Autoscale") }

    let scalingTypes: Set = ["AbleToScale", "ScalingActive"]
    if let failure = conditions.first(where: { condition in
      scalingTypes.contains(condition.type) && !condition.isTrue
        && (condition.reason.hasPrefix("Failed") || condition.reason.hasPrefix("Invalid"))
    }) {
      return .degraded(failure.summary)
    }
    if let disabled = conditions.first(where: { $0.reason == "ScalingDisabled" && !$0.isTrue }) {
      return .suspended(disabled.summary)
    }
    let ableToScale = conditions.first { $0.type == "AbleToScale" }
    let active = conditions.first { $0.type == "ScalingActive" }
    if ableToScale?.isTrue != false, active?.isTrue != false {
      // At a bound (TooFewReplicas / TooManyReplicas) it is healthy, but worth saying.
      let limited = conditions.first { $0.type == "ScalingLimited" && $0.isTrue }
      return .healthy(limited?.summary)
    }
    let waiting = [ableToScale, active].compactMap { $0 }.first { !$0.isTrue }
    return .progressing(waiting?.summary ?? "Waiting to Autoscale")
  }
}
