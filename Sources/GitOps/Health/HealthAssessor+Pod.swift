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
      + pod.array("status", "containerStatuses")).map(PodContainerStatus.init)
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

/// The parts of one `containerStatuses` entry health depends on.
struct PodContainerStatus {
  struct Termination {
    let reason: String
    let message: String
    let exitCode: Int

    init(_ value: JSONValue) {
      reason = value["reason"]?.stringValue ?? ""
      message = value["message"]?.stringValue ?? ""
      exitCode = HealthObject.integer(value["exitCode"]) ?? 0
    }

    /// `OOMKilled (exit code 137)`, with the termination message when the container wrote one.
    var summary: String {
      var text = reason.isEmpty ? "terminated" : reason
      text += " (exit code \(exitCode))"
      if !message.isEmpty { text += ": \(message)" }
      return text
    }
  }

  let name: String
  let restartCount: Int
  let waitingReason: String?
  let waitingMessage: String
  let terminated: Termination?
  let lastTerminated: Termination?

  init(_ value: JSONValue) {
    name = value["name"]?.stringValue ?? ""
    restartCount = HealthObject.integer(value["restartCount"]) ?? 0
    let waiting = value["state"]?["waiting"]
    waitingReason = waiting.map { $0["reason"]?.stringValue ?? "" }
    waitingMessage = waiting?["message"]?.stringValue ?? ""
    terminated = value["state"]?["terminated"].map(Termination.init)
    lastTerminated = value["lastState"]?["terminated"].map(Termination.init)
  }

  /// `container NAME: REASON: message` for a container waiting on an error, by gitops-engine's test:
  /// a reason starting with `Err` or ending with `Error` or `BackOff`.
  var waitingError: String? {
    guard let reason = waitingReason,
      reason.hasPrefix("Err") || reason.hasSuffix("Error") || reason.hasSuffix("BackOff")
    else { return nil }
    return waitingSummary
  }

  /// `container NAME: REASON: message` for any waiting container (ContainerCreating, PodInitializing).
  var waitingSummary: String? {
    guard let reason = waitingReason else { return nil }
    var text = "container \(name): \(reason.isEmpty ? "waiting" : reason)"
    if !waitingMessage.isEmpty { text += ": \(waitingMessage)" }
    return text
  }

  /// Why a container of a failed pod failed, as gitops-engine reports it: its termination message,
  /// OOMKilled, or a non-zero exit code.
  var failureSummary: String? {
    guard let terminated else { return nil }
    if terminated.reason == "OOMKilled" || !terminated.message.isEmpty || terminated.exitCode != 0 {
      return "container \(name): \(terminated.summary)"
    }
    return nil
  }
}
