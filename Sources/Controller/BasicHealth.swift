import Environments
import YAML

/// Health of the kinds the dev environment runs, read from `status` as Argo CD's built-in checks read
/// it. The interim assessment the ``ServerSideApplySyncer`` uses until the engine's health module
/// is wired in; kinds it does not know are Healthy once they exist.
public enum BasicHealth {
  /// The object's health and, when not Healthy, why.
  public static func assess(_ object: JSONValue) -> (HealthStatus, String?) {
    let group = ObjectKey.group(ofAPIVersion: object["apiVersion"]?.stringValue ?? "")
    switch (group, object["kind"]?.stringValue ?? "") {
    case ("apps", "Deployment"): return deployment(object)
    case ("apps", "StatefulSet"): return statefulSet(object)
    case ("", "Pod"): return pod(object)
    case ("", "PersistentVolumeClaim"):
      let phase = object["status"]?["phase"]?.stringValue
      return phase == "Bound"
        ? (.healthy, nil) : (.progressing, "claim is \(phase ?? "not yet bound")")
    case ("batch", "Job"): return job(object)
    default: return (.healthy, nil)
    }
  }

  private static func generationObserved(_ object: JSONValue) -> Bool {
    let generation = object["metadata"]?["generation"]?.intValue ?? 0
    let observed = object["status"]?["observedGeneration"]?.intValue ?? 0
    return observed >= generation
  }

  private static func deployment(_ object: JSONValue) -> (HealthStatus, String?) {
    let wanted = object["spec"]?["replicas"]?.intValue ?? 1
    let status = object["status"]
    for condition in status?["conditions"]?.arrayValue ?? []
    where condition["type"]?.stringValue == "Progressing"
      && condition["reason"]?.stringValue == "ProgressDeadlineExceeded"
    {
      return (.degraded, "rollout exceeded its progress deadline")
    }
    if object["spec"]?["paused"]?.boolValue == true { return (.suspended, "rollout is paused") }
    if wanted == 0 { return (.healthy, nil) }
    guard generationObserved(object) else {
      return (.progressing, "waiting for the rollout to be observed")
    }
    let updated = status?["updatedReplicas"]?.intValue ?? 0
    let available = status?["availableReplicas"]?.intValue ?? 0
    if updated < wanted {
      return (.progressing, "\(updated) of \(wanted) replicas updated")
    }
    if available < wanted {
      return (.progressing, "\(available) of \(wanted) updated replicas available")
    }
    return (.healthy, nil)
  }

  private static func statefulSet(_ object: JSONValue) -> (HealthStatus, String?) {
    let wanted = object["spec"]?["replicas"]?.intValue ?? 1
    guard generationObserved(object) else {
      return (.progressing, "waiting for the rollout to be observed")
    }
    let ready = object["status"]?["readyReplicas"]?.intValue ?? 0
    return ready >= wanted ? (.healthy, nil) : (.progressing, "\(ready) of \(wanted) pods ready")
  }

  private static func pod(_ object: JSONValue) -> (HealthStatus, String?) {
    let status = object["status"]
    for container in status?["containerStatuses"]?.arrayValue ?? [] {
      if let reason = container["state"]?["waiting"]?["reason"]?.stringValue,
        ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError"]
          .contains(reason)
      {
        return (.degraded, "\(container["name"]?.stringValue ?? "container"): \(reason)")
      }
      if (container["restartCount"]?.intValue ?? 0) >= 5 {
        return (.degraded, "\(container["name"]?.stringValue ?? "container") restarted 5+ times")
      }
    }
    switch status?["phase"]?.stringValue {
    case "Succeeded", "Running": return (.healthy, nil)
    case "Failed": return (.degraded, status?["message"]?.stringValue ?? "pod failed")
    default: return (.progressing, "pod is \(status?["phase"]?.stringValue ?? "pending")")
    }
  }

  private static func job(_ object: JSONValue) -> (HealthStatus, String?) {
    for condition in object["status"]?["conditions"]?.arrayValue ?? []
    where condition["status"]?.stringValue == "True" {
      switch condition["type"]?.stringValue {
      case "Complete": return (.healthy, nil)
      case "Failed":
        return (.degraded, condition["message"]?.stringValue ?? "job failed")
      default: continue
      }
    }
    return (.progressing, "job is running")
  }
}
