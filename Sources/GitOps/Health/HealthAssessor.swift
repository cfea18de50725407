import YAML

/// Assesses the health of Kubernetes objects from their `status`, by the rules Argo CD's
/// gitops-engine (`pkg/health`) applies to the built-in kinds, plus the seed environment's alerts
/// (a container restarting `crashLoopRestartThreshold` times or more is a crash loop; OOMKilled and
/// ImagePullBackOff are named in the message). Pure: it reads the objects it is given and nothing else.
public enum HealthAssessor {
  /// Restarts at which a container counts as crash looping, whatever its current state
  /// (the seed's alert: "a pod restarting 5 or more times").
  public static let crashLoopRestartThreshold = 5

  /// The health of `object` (as the API returns it, status included).
  ///
  /// `pods` are the pods a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job) owns, when the
  /// caller has listed them: a pod that is Degraded (crash loop, OOMKilled, image pull failure) makes
  /// the workload Degraded with that pod's reason, which the workload's own status never says.
  ///
  /// Kinds without built-in rules are not left unassessed as in Argo CD (where they have no health):
  /// they follow the generic conventions of kstatus (sigs.k8s.io/cli-utils) — a `Stalled` condition
  /// that is True is Degraded; `Reconciling` True, `Ready` False, or an `observedGeneration` behind
  /// `generation` is Progressing; anything else, including objects without status, is Healthy.
  public static func assess(_ object: JSONValue, pods: [JSONValue] = []) -> HealthAssessment {
    let resource = HealthObject(object)
    if resource.isBeingDeleted {
      return .progressing("Pending deletion")
    }
    let own = assessOwnStatus(resource)
    guard isWorkload(resource), !pods.isEmpty else { return own }
    return combine(own, withPods: pods)
  }

  /// The worst status over several objects (gitops-engine's order), with the messages of the objects
  /// at that status, each prefixed by its name: `Deployment/api: ...; Pod/api-1: ...`.
  /// No objects at all are Healthy.
  public static func aggregate(_ assessments: [(name: String, assessment: HealthAssessment)])
    -> HealthAssessment
  {
    guard let worst = assessments.map(\.assessment.status).max(by: { $1.isWorse(than: $0) }) else {
      return .healthy
    }
    let messages = assessments.filter { $0.assessment.status == worst }.compactMap { entry in
      entry.assessment.message.map { "\(entry.name): \($0)" }
    }
    return HealthAssessment(
      status: worst, message: messages.isEmpty ? nil : messages.joined(separator: "; "))
  }

  /// The worst status over several assessments, with the messages at that status.
  public static func aggregate(_ assessments: [HealthAssessment]) -> HealthAssessment {
    guard let worst = assessments.map(\.status).max(by: { $1.isWorse(than: $0) }) else {
      return .healthy
    }
    let messages = assessments.filter { $0.status == worst }.compactMap(\.message)
    return HealthAssessment(
      status: worst, message: messages.isEmpty ? nil : messages.joined(separator: "; "))
  }

  private static func assessOwnStatus(_ resource: HealthObject) -> HealthAssessment {
    switch (resource.group, resource.kind) {
    case ("apps", "Deployment"), ("extensions", "Deployment"): return deploymentHealth(resource)
    case ("apps", "StatefulSet"): return statefulSetHealth(resource)
    case ("apps", "DaemonSet"), ("extensions", "DaemonSet"): return daemonSetHealth(resource)
    case ("apps", "ReplicaSet"), ("extensions", "ReplicaSet"): return replicaSetHealth(resource)
    case ("batch", "Job"): return jobHealth(resource)
    case ("batch", "CronJob"): return cronJobHealth(resource)
    case ("", "Pod"): return podHealth(resource)
    case ("", "PersistentVolumeClaim"): return persistentVolumeClaimHealth(resource)
    case ("", "Service"): return serviceHealth(resource)
    case ("", "Namespace"): return namespaceHealth(resource)
    case ("networking.k8s.io", "Ingress"), ("extensions", "Ingress"): return ingressHealth(resource)
    case ("autoscaling", "HorizontalPodAutoscaler"): return horizontalPodAutoscalerHealth(resource)
    default: return genericHealth(resource)
    }
  }

  private static func isWorkload(_ resource: HealthObject) -> Bool {
    switch (resource.group, resource.kind) {
    case ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"),
      ("apps", "ReplicaSet"), ("extensions", "Deployment"), ("extensions", "DaemonSet"),
      ("extensions", "ReplicaSet"), ("batch", "Job"):
      return true
    default:
      return false
    }
  }
}
