import YAML

extension HealthAssessor {
  /// Argo CD's annotation that makes a Running pod with restart policy Never/OnFailure assessed like
  /// a long-running one (Healthy when ready) instead of Progressing.
  static let ignoreRestartPolicyAnnotation = "argocd.argoproj.io/ignore-restart-policy"

  /// gitops-engine's pod rules, with the seed's alerts checked first: a crash loop (restarts at or
  /// above the threshold), an OOMKilled container, and a container waiting on an error
  /// (`CrashLoopBackOff`, `ImagePullBackOff`, `ErrImagePull`, `CreateContainerConfigError`, ...) make
  /// the pod Degraded with every such reason in the message.
  ///
  /// As in gitops-engine, waiting errors only degrade pods that restart always: a hook pod (restart
  /// policy Never or OnFailure) waiting on an image stays Progressing with the reason as its message,
  /// so a hook is not failed while the condition may still clear.
  static func podHealth(_ pod: HealthObject) -> HealthAssessment {
    let restartsAlways = (pod.string("spec", "restartPolicy") ?? "Always") == "Always"
    let containers =
      (pod.array("status", "initContainerStatuses")
      + pod.array("status", "containerStatuses")).map(HealthContainerStatus.init)
    var failures: [String] = []
    var waitingErrors: [String] = []
    for container in containers {
      if let waiting = container.waitingError {
        if restartsAlways { failures.append(waiting) } else { waitingErrors.append(waiting) }
      }
      if container.terminated?.reason == "OOMKilled" {
        failures.append("container \(container.name): \(container.terminated!.summary)")
      }
      if container.restartCount >= crashLoopRestartThreshold {
        var alert =
          "crash loop: container \(container.name) restarted \(container.restartCount) times"
        if let last = container.lastTerminated { alert += " (last terminated: \(last.summary))" }
        failures.append(alert)
      }
    }
    if !failures.isEmpty {
      return .degraded(failures.joined(separator: "; "))
    }

    let podMessage = podStatusMessage(pod)
    switch pod.string("status", "phase") ?? "" {
    case "Pending":
      return .progressing(
        podMessage ?? waitingErrors.first ?? containers.lazy.compactMap(\.waitingSummary).first
          ?? pod.condition("PodScheduled").flatMap { $0.isFalse ? $0.summary : nil }
          ?? "Pod is pending")
    case "Succeeded":
      return .healthy(podMessage)
    case "Failed":
      return .degraded(
        podMessage ?? containers.lazy.compactMap(\.failureSummary).first ?? "Pod failed")
    case "Running":
      let assessAsLongRunning =
        restartsAlways
        || pod.at(["metadata", "annotations", ignoreRestartPolicyAnnotation]) != nil
      guard assessAsLongRunning else {
        return .progressing(podMessage ?? waitingErrors.first ?? "Pod is running")
      }
      if pod.condition("Ready")?.isTrue == true {
        return .healthy(podMessage)
      }
      // Not ready and a container has terminated before: it is failing, not starting.
      if let restarted = containers.first(where: { $0.lastTerminated != nil }) {
        return .degraded(
          podMessage ?? "container \(restarted.name): last terminated: "
            + restarted.lastTerminated!.summary)
      }
      return .progressing(
        podMessage ?? pod.condition("Ready").map(\.summary) ?? "Waiting for containers to be ready")
    default:
      return HealthAssessment(status: .unknown, message: podMessage ?? "Pod phase is unknown")
    }
  }

  /// The pod's own `status.reason` and `status.message` (set on eviction, node loss, deadlines).
  private static func podStatusMessage(_ pod: HealthObject) -> String? {
    let reason = pod.string("status", "reason") ?? ""
    let message = pod.string("status", "message") ?? ""
    switch (reason.isEmpty, message.isEmpty) {
    case (false, false): return "\(reason): \(message)"
    case (true, false): return message
    case (false, true): return reason
    case (true, true): return nil
    }
  }
}
