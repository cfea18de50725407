import YAML

/// What a server-side apply did to one object, as `kubectl apply` reports it.
public struct KubeApplyOutcome: Sendable, Equatable {
  public enum Action: String, Sendable {
    case created, configured, unchanged
  }

  /// `deployment.apps/user-service`.
  public var reference: String
  public var action: Action
  public var dryRun: Bool

  /// `deployment.apps/user-service configured`, with ` (server dry run)` for a dry run.
  public var line: String {
    "\(reference) \(action.rawValue)\(dryRun ? " (server dry run)" : "")"
  }
}

extension KubeClient {
  /// Server-side applies every object in order and says what each apply did: the object is read
  /// first (absent: created), then the result is compared with it (a new resourceVersion, or
  /// for a dry run any difference outside managedFields: configured; else unchanged).
  public func applyAll(
    _ objects: [JSONValue], fieldManager: String, force: Bool = false, dryRun: Bool = false
  ) async throws -> [KubeApplyOutcome] {
    var outcomes: [KubeApplyOutcome] = []
    // A `v1` List (what `kubectl get -o yaml` writes for several objects) stands for its items.
    let expanded = objects.flatMap { object -> [JSONValue] in
      if object["kind"]?.stringValue == "List", object["apiVersion"]?.stringValue == "v1" {
        return object["items"]?.arrayValue ?? []
      }
      return [object]
    }
    for object in expanded where !object.isNull {
      let (resource, namespace, name) = try await locate(object)
      let before = try await getIfPresent(resource, namespace: namespace, name: name)
      let result = try await apply(object, fieldManager: fieldManager, force: force, dryRun: dryRun)
      let action: KubeApplyOutcome.Action
      if before == nil || result.created {
        action = .created
      } else if dryRun {
        action =
          Self.withoutManagedFields(result.object) == Self.withoutManagedFields(before!)
          ? .unchanged : .configured
      } else {
        let beforeVersion = before?["metadata"]?["resourceVersion"]
        action =
          result.object["metadata"]?["resourceVersion"] == beforeVersion ? .unchanged : .configured
      }
      outcomes.append(
        KubeApplyOutcome(
          reference: "\(resource.kubectlTypeName)/\(name)", action: action, dryRun: dryRun))
    }
    return outcomes
  }

  private static func withoutManagedFields(_ object: JSONValue) -> JSONValue {
    guard let metadata = object["metadata"] else { return object }
    return object.setting("metadata", metadata.setting("managedFields", nil))
  }
}
