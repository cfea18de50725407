import Foundation
import YAML

/// Deletes: preconditions, finalizers, owner-reference propagation, namespaces, CRDs.
extension KubeAPIServer {
  func delete(_ target: KubeAPIServerTarget, _ request: KubeAPIServerRequest)
    throws(KubeAPIServerFailure)
    -> JSONValue
  {
    let object = try existing(target)
    let options =
      request.body.isEmpty
      ? JSONValue.object([:]) : ((try? KubeAPIServerJSON.decode(request.body)) ?? [:])
    let name = target.name ?? ""
    if let uid = options["preconditions"]?["uid"]?.stringValue,
      let actual = object["metadata"]?["uid"]?.stringValue, uid != actual
    {
      throw .conflict(
        target.resource, name: name,
        why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(actual)")
    }
    if let version = options["preconditions"]?["resourceVersion"]?.stringValue,
      let actual = object["metadata"]?["resourceVersion"]?.stringValue, version != actual
    {
      throw .conflict(
        target.resource, name: name,
        why:
          "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(actual)"
      )
    }
    let dryRun = request.isDryRun || (options["dryRun"]?.arrayValue?.contains("All") ?? false)
    if dryRun { return object }
    let policy =
      request.query["propagationPolicy"] ?? options["propagationPolicy"]?.stringValue
      ?? "Background"
    guard ["Background", "Foreground", "Orphan"].contains(policy) else {
      throw .badRequest("propagationPolicy must be Background, Foreground or Orphan, not \(policy)")
    }

    let deleting = object.setting(
      ["metadata", "deletionTimestamp"],
      object["metadata"]?["deletionTimestamp"] ?? .string(Self.timestamp()))
    if !(object["metadata"]?["finalizers"]?.arrayValue ?? []).isEmpty {
      // Finalizers hold the object until whoever owns them removes them.
      if object["metadata"]?["deletionTimestamp"] != nil { return object }
      return store(
        deleting, old: object, resource: target.resource, type: "MODIFIED", state: &state)
    }
    if target.resource.kind == "Namespace" {
      let terminating = store(
        deleting.setting("status", ["phase": "Terminating"]), old: object,
        resource: target.resource,
        type: "MODIFIED", state: &state)
      for resource in state.resources where resource.namespaced {
        for (_, child) in state.objects[resource.storageKey] ?? [:]
        where child["metadata"]?["namespace"]?.stringValue == name {
          store(child, old: child, resource: resource, type: "DELETED", state: &state)
        }
      }
      store(
        terminating, old: terminating, resource: target.resource, type: "DELETED", state: &state)
      return terminating
    }
    unregisterIfDefinition(object, target)
    switch policy {
    case "Foreground":
      // The owner stays, marked, until its dependents are gone.
      let marked = store(
        deleting.setting(["metadata", "finalizers"], ["foregroundDeletion"]), old: object,
        resource: target.resource, type: "MODIFIED", state: &state)
      deleteDependents(of: object, policy: "Foreground")
      store(marked, old: marked, resource: target.resource, type: "DELETED", state: &state)
      return marked
    case "Orphan":
      orphanDependents(of: object)
      return store(object, old: object, resource: target.resource, type: "DELETED", state: &state)
    default:
      let deleted = store(
        object, old: object, resource: target.resource, type: "DELETED", state: &state)
      deleteDependents(of: object, policy: "Background")
      return deleted
    }
  }

  /// Objects whose ownerReferences name this owner's uid.
  private func dependents(of owner: JSONValue) -> [(KubeAPIServerResource, JSONValue)] {
    guard let uid = owner["metadata"]?["uid"] else { return [] }
    var result: [(KubeAPIServerResource, JSONValue)] = []
    for resource in state.resources {
      for key in (state.objects[resource.storageKey] ?? [:]).keys.sorted() {
        let object = state.objects[resource.storageKey]![key]!
        if (object["metadata"]?["ownerReferences"]?.arrayValue ?? []).contains(where: {
          $0["uid"] == uid
        }) {
          result.append((resource, object))
        }
      }
    }
    return result
  }

  private func deleteDependents(of owner: JSONValue, policy: String) {
    for (resource, dependent) in dependents(of: owner) {
      if policy == "Foreground" { deleteDependents(of: dependent, policy: policy) }
      if (dependent["metadata"]?["finalizers"]?.arrayValue ?? []).isEmpty {
        store(dependent, old: dependent, resource: resource, type: "DELETED", state: &state)
      } else if dependent["metadata"]?["deletionTimestamp"] == nil {
        store(
          dependent.setting(["metadata", "deletionTimestamp"], .string(Self.timestamp())),
          old: dependent, resource: resource, type: "MODIFIED", state: &state)
      }
      if policy == "Background" { deleteDependents(of: dependent, policy: policy) }
    }
  }

  private func orphanDependents(of owner: JSONValue) {
    let uid = owner["metadata"]?["uid"]
    for (resource, dependent) in dependents(of: owner) {
      let references = (dependent["metadata"]?["ownerReferences"]?.arrayValue ?? []).filter {
        $0["uid"] != uid
      }
      store(
        dependent.setting(
          ["metadata", "ownerReferences"], references.isEmpty ? nil : .array(references)),
        old: dependent, resource: resource, type: "MODIFIED", state: &state)
    }
  }
}
