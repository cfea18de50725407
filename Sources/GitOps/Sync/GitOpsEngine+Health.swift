import Environments
import Kube
import YAML

extension GitOpsEngine {
  /// Waits until every object is Healthy (or Suspended, a state a person chose). A Degraded object
  /// stops the wait at once with its reason; an object still progressing at the deadline is a
  /// timeout naming it and its last message.
  func waitHealthy(
    _ keys: [ObjectKey], timeout: Double, pollInterval: Double, applied: [ObjectKey],
    progress: @Sendable (SyncEvent) -> Void
  ) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
    var pending = keys
    var last: [ObjectKey: HealthAssessment] = [:]
    while !pending.isEmpty {
      var still: [ObjectKey] = []
      for key in pending {
        let assessment = try await assess(key, live: nil)
        switch assessment.status {
        case .healthy, .suspended:
          progress(.healthy(key))
        case .degraded:
          throw GitOpsError.degraded(key, message: assessment.message ?? "no reason given")
        default:
          if last[key] != assessment {
            progress(
              .waiting(key, status: assessment.status.rawValue, message: assessment.message))
          }
          last[key] = assessment
          still.append(key)
        }
      }
      pending = still
      guard let first = pending.first else { break }
      if ContinuousClock.now >= deadline {
        throw GitOpsError.healthTimeout(
          first, seconds: timeout, message: last[first]?.message ?? "still progressing")
      }
      do {
        try await Task.sleep(for: .milliseconds(Int64(pollInterval * 1000)))
      } catch {
        throw GitOpsError.cancelled(applied: applied)
      }
    }
  }

  /// The health of one object as the cluster has it now (`live` when already read), with the pods
  /// of a workload so that a crash-looping or image-pulling pod names its reason.
  public func assess(_ key: ObjectKey, live: JSONValue?) async throws -> HealthAssessment {
    let resource = try await resource(for: key, live: live)
    let namespace = key.namespace.isEmpty ? nil : key.namespace
    var object = live
    if object == nil {
      object = try await client.getIfPresent(resource, namespace: namespace, name: key.name)
    }
    guard let object else {
      return HealthAssessment(status: .missing, message: "not in the cluster")
    }
    return HealthAssessor.assess(object, pods: try await pods(of: object, key: key))
  }

  /// The pods a workload selects (a Job's by its `job-name` label when it has no selector yet).
  private func pods(of object: JSONValue, key: ObjectKey) async throws -> [JSONValue] {
    let workloads: Set<String> = [
      "apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "apps/ReplicaSet", "batch/Job",
    ]
    guard workloads.contains("\(key.group)/\(key.kind)"), !key.namespace.isEmpty else { return [] }
    var selector: String?
    if let labels = object["spec"]?["selector"]?["matchLabels"]?.objectValue, !labels.isEmpty {
      selector = labels.compactMap { name, value in value.stringValue.map { "\(name)=\($0)" } }
        .sorted().joined(separator: ",")
    } else if key.kind == "Job" {
      selector = "job-name=\(key.name)"
    }
    guard let selector else { return [] }
    let resource = try await client.resource(apiVersion: "v1", kind: "Pod")
    return try await client.listAll(resource, namespace: key.namespace, labelSelector: selector)
      .items
  }
}
