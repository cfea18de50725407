import Environments
import Kube
import YAML

extension GitOpsEngine {
  /// Deletes the object a hook's previous run left, when its policy is `before-hook-creation`, and
  /// waits until it is gone (a Job's pods first: foreground propagation).
  func deletePreviousRun(
    of hook: PlannedObject, timeout: Double, state: SyncProgressState,
    progress: @Sendable (SyncEvent) -> Void
  ) async throws {
    guard let spec = hook.hook, spec.deletePolicies.contains(.beforeHookCreation),
      let previous = hook.live
    else { return }
    try await beforeWrite(state)
    try await deleteHook(hook.key, live: previous, timeout: timeout)
    progress(.hookDeleted(hook.key))
  }

  /// Deletes hooks per their `hook-succeeded` / `hook-failed` policies once they ran.
  func finishHooks(
    _ hooks: [PlannedObject], succeeded: Bool, timeout: Double, state: SyncProgressState,
    progress: @Sendable (SyncEvent) -> Void
  ) async throws {
    for hook in hooks {
      guard let spec = hook.hook,
        spec.deletePolicies.contains(succeeded ? .hookSucceeded : .hookFailed)
      else { continue }
      try await beforeWrite(state)
      try await deleteHook(hook.key, live: nil, timeout: timeout)
      progress(.hookDeleted(hook.key))
    }
  }

  /// Deletes a hook's object and waits until it is gone, at most `timeout` seconds.
  private func deleteHook(_ key: ObjectKey, live: JSONValue?, timeout: Double) async throws {
    let resource = try await resource(for: key, live: live)
    let namespace = key.namespace.isEmpty ? nil : key.namespace
    do {
      try await client.delete(
        resource, namespace: namespace, name: key.name, propagationPolicy: .foreground)
    } catch let error as KubeError where error.isNotFound {
      return
    } catch let error as KubeError {
      throw GitOpsError.hookDeletionFailed(key, error)
    }
    // Wait until it is gone, or creating it again would update the old object; a finalizer that
    // nobody removes must not block the environment's syncs forever.
    let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
    while let still = try await client.getIfPresent(resource, namespace: namespace, name: key.name)
    {
      if ContinuousClock.now >= deadline {
        throw GitOpsError.hookDeletionTimeout(
          key, seconds: timeout,
          finalizers: still["metadata"]?["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [])
      }
      try await Task.sleep(for: .milliseconds(100))
    }
  }

  /// The API resource of an object key.
  func resource(for key: ObjectKey, live: JSONValue?) async throws -> KubeAPIResource {
    if let apiVersion = live?["apiVersion"]?.stringValue {
      return try await client.resource(apiVersion: apiVersion, kind: key.kind)
    }
    guard let resource = try await client.resource(groupKind: GroupKind(key)) else {
      throw KubeError.unknownResource("\(key.kind) in group \"\(key.group)\"")
    }
    return resource
  }
}
