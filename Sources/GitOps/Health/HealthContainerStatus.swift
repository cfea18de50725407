import YAML

/// The parts of one `containerStatuses` entry health depends on.
struct HealthContainerStatus {
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
