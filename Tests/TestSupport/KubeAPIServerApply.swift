import Collections
import Foundation
import YAML

/// One entry of `metadata.managedFields`.
struct KubeAPIServerManagedEntry: Equatable {
  var manager: String
  var operation: String
  var apiVersion: String
  var time: String
  var subresource: String?
  var fields: KubeAPIServerFieldSet

  init(
    manager: String, operation: String, apiVersion: String, time: String, subresource: String?,
    fields: KubeAPIServerFieldSet
  ) {
    self.manager = manager
    self.operation = operation
    self.apiVersion = apiVersion
    self.time = time
    self.subresource = subresource
    self.fields = fields
  }

  init?(_ value: JSONValue) {
    guard let manager = value["manager"]?.stringValue,
      let operation = value["operation"]?.stringValue
    else { return nil }
    self.manager = manager
    self.operation = operation
    apiVersion = value["apiVersion"]?.stringValue ?? ""
    time = value["time"]?.stringValue ?? ""
    subresource = value["subresource"]?.stringValue
    fields = KubeAPIServerFieldSet(fieldsV1: value["fieldsV1"] ?? [:])
  }

  var json: JSONValue {
    var object: OrderedDictionary<String, JSONValue> = [
      "manager": .string(manager), "operation": .string(operation),
      "apiVersion": .string(apiVersion), "time": .string(time), "fieldsType": "FieldsV1",
      "fieldsV1": fields.fieldsV1,
    ]
    if let subresource { object["subresource"] = .string(subresource) }
    return .object(object)
  }

  /// How the apiserver names a manager in conflict messages: appliers by name, updaters with the
  /// version they wrote.
  var display: String {
    var name = "\"\(manager)\""
    if let subresource { name += " with subresource \"\(subresource)\"" }
    return operation == "Apply" ? name : "\(name) using \(apiVersion)"
  }

  func isSame(_ manager: String, _ operation: String, _ subresource: String?) -> Bool {
    self.manager == manager && self.operation == operation && self.subresource == subresource
  }
}

extension KubeAPIServer {
  static func managedEntries(_ object: JSONValue?) -> [KubeAPIServerManagedEntry] {
    (object?["metadata"]?["managedFields"]?.arrayValue ?? []).compactMap(
      KubeAPIServerManagedEntry.init)
  }

  static func withManagedEntries(_ object: JSONValue, _ entries: [KubeAPIServerManagedEntry])
    -> JSONValue
  {
    let kept = entries.filter { !$0.fields.isEmpty }
    return object.setting(
      ["metadata", "managedFields"], kept.isEmpty ? nil : .array(kept.map(\.json)))
  }

  /// The part of an object field ownership covers: no identity or server-set metadata; for the
  /// main resource no status when the kind has a status subresource, for `/status` only status.
  static func ownedPart(_ object: JSONValue, _ target: KubeAPIServerTarget) -> JSONValue {
    if target.subresource == "status" { return ["status": object["status"] ?? .null] }
    var result = object.setting("apiVersion", nil).setting("kind", nil)
    if target.resource.hasStatusSubresource { result = result.setting("status", nil) }
    if case .object(var metadata)? = result["metadata"] {
      for key in [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
        "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
      ] {
        metadata[key] = nil
      }
      result = result.setting("metadata", metadata.isEmpty ? nil : .object(metadata))
    }
    return result
  }

  /// Ownership after a create, update or patch: the writer takes the fields it changed from
  /// every other manager; fields that disappeared leave every set.
  func recordUpdate(old: JSONValue?, new: JSONValue, manager: String, target: KubeAPIServerTarget)
    -> JSONValue
  {
    var entries = Self.managedEntries(old)
    let newPart = Self.ownedPart(new, target)
    let oldPart = old.map { Self.ownedPart($0, target) } ?? [:]
    let newSet = KubeAPIServerFieldSet.of(object: newPart)
    let oldSet = KubeAPIServerFieldSet.of(object: oldPart)
    var changed = KubeAPIServerFieldSet()
    for path in newSet.members
    where KubeAPIServerFieldSet.value(at: path, in: newPart)
      != KubeAPIServerFieldSet.value(at: path, in: oldPart)
    {
      changed.insert(path)
    }
    let gone = oldSet.members.filter { !newSet.contains($0) }
    for index in entries.indices {
      for path in gone { entries[index].fields.remove(path) }
      if !entries[index].isSame(manager, "Update", target.subresource) {
        for path in changed.members { entries[index].fields.remove(path) }
      }
    }
    if !changed.isEmpty {
      let now = Self.timestamp()
      if let index = entries.firstIndex(where: { $0.isSame(manager, "Update", target.subresource) })
      {
        entries[index].fields.formUnion(changed)
        entries[index].time = now
      } else {
        entries.append(
          .init(
            manager: manager, operation: "Update", apiVersion: target.resource.apiVersion,
            time: now,
            subresource: target.subresource, fields: changed))
      }
    }
    return Self.withManagedEntries(new, entries)
  }

  // MARK: Server-side apply

  func apply(_ target: KubeAPIServerTarget, _ request: KubeAPIServerRequest)
    throws(KubeAPIServerFailure)
    -> KubeAPIServerReply
  {
    guard let manager = request.query["fieldManager"], !manager.isEmpty else {
      throw .badRequest("PATCH, application/apply-patch+yaml requests require fieldManager")
    }
    let force = request.query["force"] == "true"
    let applied: JSONValue
    do { applied = try KubeAPIServerJSON.decode(request.body) } catch {
      throw .badRequest("error decoding YAML: \(error)")
    }
    guard case .object = applied else { throw .badRequest("apply patch must be an object") }
    guard applied["apiVersion"]?.stringValue != nil, applied["kind"]?.stringValue != nil else {
      throw .badRequest("apiVersion and kind must be set in an apply patch")
    }
    let name = target.name ?? ""
    var withName = applied
    if applied["metadata"]?["name"] == nil {
      withName = applied.setting(["metadata", "name"], .string(name))
    }
    var identity = target
    identity.name = name
    try checkIdentity(withName, identity)

    let live = state.objects[target.resource.storageKey]?[Self.objectKey(target.namespace, name)]
    if let version = applied["metadata"]?["resourceVersion"]?.stringValue,
      version != live?["metadata"]?["resourceVersion"]?.stringValue
    {
      throw .staleResourceVersion(target.resource, name: name)
    }
    if live == nil {
      if target.subresource != nil { throw .notFound(target.resource, name: name) }
      try requireNamespace(target)
      try validateName(name, target.resource)
    }
    let appliedPart = Self.ownedPart(applied, target)
    let liveBase: JSONValue =
      live
      ?? withName.setting("status", nil).setting(
        "metadata",
        [
          "name": .string(name)
        ])
    let livePart = Self.ownedPart(liveBase, target)
    let appliedSet = KubeAPIServerFieldSet.of(object: appliedPart)
    var entries = Self.managedEntries(live)

    // Conflicts: fields this manager sets to a value other than the live one, owned by others.
    var conflicts: [(entry: Int, path: [String])] = []
    for (index, entry) in entries.enumerated()
    where !entry.isSame(manager, "Apply", target.subresource)
      && entry.subresource == target.subresource
    {
      for path in appliedSet.members
      where entry.fields.contains(path) && (appliedSet.node(at: path)?.children.isEmpty ?? true)
        && KubeAPIServerFieldSet.value(at: path, in: appliedPart)
          != KubeAPIServerFieldSet.value(at: path, in: livePart)
      {
        conflicts.append((index, path))
      }
    }
    if !conflicts.isEmpty {
      if !force {
        throw .applyConflicts(
          conflicts.map { (entries[$0.entry].display, KubeAPIServerFieldSet.describe($0.path)) })
      }
      for conflict in conflicts { entries[conflict.entry].fields.remove(conflict.path) }
    }

    // Fields this manager applied before but not now go, unless someone else still owns them.
    var object = liveBase
    let previous = entries.first { $0.isSame(manager, "Apply", target.subresource) }?.fields
    for path in previous?.members ?? [] where !appliedSet.contains(path) {
      let ownedElsewhere = entries.contains {
        !$0.isSame(manager, "Apply", target.subresource) && $0.fields.touches(path)
      }
      if !ownedElsewhere { KubeAPIServerFieldSet.remove(path, from: &object) }
    }
    object = KubeAPIServerFieldSet.merge(object, appliedPart)

    let now = Self.timestamp()
    if let index = entries.firstIndex(where: { $0.isSame(manager, "Apply", target.subresource) }) {
      if entries[index].fields != appliedSet {
        entries[index].fields = appliedSet
        entries[index].time = now
      }
    } else {
      entries.append(
        .init(
          manager: manager, operation: "Apply", apiVersion: target.resource.apiVersion, time: now,
          subresource: target.subresource, fields: appliedSet))
    }
    object = Self.withManagedEntries(object, entries)

    guard let live else {
      var created = object.setting("apiVersion", .string(target.resource.apiVersion))
        .setting("kind", .string(target.resource.kind))
      created = newObjectMetadata(
        created, resource: target.resource, namespace: target.namespace, state: &state)
      try validateCustomResourceDefinition(created, target)
      try authorizeCreateOnApply(
        KubeAPIServerRequestInfo(method: request.method, path: request.path, query: request.query),
        user: request.user)
      if request.isDryRun { return .json(201, created, headers: []) }
      if target.resource.kind == "Namespace" {
        created = created.setting("status", ["phase": "Active"])
      }
      let stored = store(created, old: nil, resource: target.resource, type: "ADDED", state: &state)
      registerIfDefinition(stored, target)
      return .json(201, stored, headers: [])
    }
    return try commit(
      settle(object, over: live, target: target).setting(
        ["metadata", "managedFields"], object["metadata"]?["managedFields"]),
      old: live, target: target, request: request)
  }
}
