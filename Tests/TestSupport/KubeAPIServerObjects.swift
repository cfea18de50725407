import Collections
import Foundation
import YAML

/// Reads and writes of single objects: get, create, update, merge patch, server-side apply.
extension KubeAPIServer {
  func existing(_ target: KubeAPIServerTarget) throws(KubeAPIServerFailure) -> JSONValue {
    let name = target.name ?? ""
    guard
      let object = state.objects[target.resource.storageKey]?[
        Self.objectKey(target.namespace, name)]
    else { throw .notFound(target.resource, name: name) }
    return object
  }

  func get(_ target: KubeAPIServerTarget) throws(KubeAPIServerFailure) -> JSONValue {
    try existing(target)
  }

  func requireNamespace(_ target: KubeAPIServerTarget) throws(KubeAPIServerFailure) {
    guard target.resource.namespaced, let namespace = target.namespace else { return }
    if state.objects["/namespaces"]?[Self.objectKey(nil, namespace)] == nil {
      throw .namespaceNotFound(namespace)
    }
  }

  private func decodeBody(_ request: KubeAPIServerRequest) throws(KubeAPIServerFailure) -> JSONValue
  {
    let value: JSONValue
    do { value = try KubeAPIServerJSON.decode(request.body) } catch {
      throw .badRequest("the object provided is unrecognized: \(error)")
    }
    guard case .object = value else {
      throw .badRequest("the object provided is unrecognized (must be a JSON or YAML object)")
    }
    return value
  }

  /// Checks apiVersion/kind and the namespace of a body against the URL it was sent to.
  func checkIdentity(_ object: JSONValue, _ target: KubeAPIServerTarget)
    throws(KubeAPIServerFailure)
  {
    let resource = target.resource
    if let apiVersion = object["apiVersion"]?.stringValue, apiVersion != resource.apiVersion {
      throw .badRequest(
        "the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.apiVersion))"
      )
    }
    if let kind = object["kind"]?.stringValue, kind != resource.kind {
      throw .badRequest(
        "the kind in the data (\(kind)) does not match the expected kind (\(resource.kind))")
    }
    if resource.namespaced, let namespace = object["metadata"]?["namespace"]?.stringValue,
      !namespace.isEmpty, namespace != target.namespace
    {
      throw .badRequest(
        "the namespace of the provided object does not match the namespace sent on the request")
    }
    if let name = target.name, let bodyName = object["metadata"]?["name"]?.stringValue,
      bodyName != name
    {
      throw .badRequest(
        "the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
    }
  }

  /// The field manager: the `fieldManager` parameter, else the user agent's program name as the
  /// apiserver derives it.
  private func manager(_ request: KubeAPIServerRequest) -> String {
    if let manager = request.query["fieldManager"], !manager.isEmpty { return manager }
    let agent = request.headers["user-agent"] ?? "unknown"
    return String(agent.split(separator: "/").first ?? "unknown")
  }

  // MARK: Create

  func create(_ target: KubeAPIServerTarget, _ request: KubeAPIServerRequest)
    throws(KubeAPIServerFailure)
    -> JSONValue
  {
    var object = try decodeBody(request)
    try checkIdentity(object, target)
    try requireNamespace(target)
    object = object.setting("apiVersion", .string(target.resource.apiVersion))
      .setting("kind", .string(target.resource.kind))
    var name = object["metadata"]?["name"]?.stringValue ?? ""
    if name.isEmpty, let prefix = object["metadata"]?["generateName"]?.stringValue, !prefix.isEmpty
    {
      let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
      name = prefix + String((0..<5).map { _ in alphabet.randomElement()! })
      object = object.setting(["metadata", "name"], .string(name))
    }
    try validateName(name, target.resource)
    let key = Self.objectKey(target.namespace, name)
    if state.objects[target.resource.storageKey]?[key] != nil {
      throw .alreadyExists(target.resource, name: name)
    }
    if target.resource.hasStatusSubresource { object = object.setting("status", nil) }
    object = newObjectMetadata(
      object, resource: target.resource, namespace: target.namespace, state: &state)
    object = recordUpdate(old: nil, new: object, manager: manager(request), target: target)
    try validateCustomResourceDefinition(object, target)
    if request.isDryRun { return object }
    if target.resource.kind == "Namespace" {
      object = object.setting("status", ["phase": "Active"])
    }
    let stored = store(object, old: nil, resource: target.resource, type: "ADDED", state: &state)
    registerIfDefinition(stored, target)
    return stored
  }

  /// Name rules: a DNS-1123 subdomain for most kinds, a DNS-1123 label for namespaces and services.
  func validateName(_ name: String, _ resource: KubeAPIServerResource) throws(KubeAPIServerFailure)
  {
    if name.isEmpty {
      throw KubeAPIServerFailure(
        code: 422, reason: "Invalid",
        message:
          "\(resource.qualifiedKind) \"\" is invalid: metadata.name: Required value: name or generateName is required",
        details: [
          "group": .string(resource.group), "kind": .string(resource.kind),
          "causes": [
            [
              "reason": "FieldValueRequired",
              "message": "Required value: name or generateName is required",
              "field": "metadata.name",
            ]
          ],
        ])
    }
    var problems: [String] = []
    let label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    let limit = resource.nameIsLabel ? 63 : 253
    if name.utf8.count > limit { problems.append("must be no more than \(limit) characters") }
    let valid: Bool
    if resource.nameIsLabel {
      valid = Self.isLabel(Substring(name))
    } else {
      valid = name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(Self.isLabel)
    }
    if !valid {
      if resource.nameIsLabel {
        problems.append(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '\(label)')"
        )
      } else {
        problems.append(
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '\(label)(\\.\(label))*')"
        )
      }
    }
    if !problems.isEmpty {
      throw .invalid(
        resource, name: name,
        errors: problems.map { .init(field: "metadata.name", value: name, detail: $0) })
    }
  }

  private static func isLabel(_ part: Substring) -> Bool {
    guard let first = part.utf8.first, let last = part.utf8.last else { return false }
    func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
    return alnum(first) && alnum(last) && part.utf8.allSatisfy { alnum($0) || $0 == 45 }
  }

  // MARK: Update and patch

  func update(_ target: KubeAPIServerTarget, _ request: KubeAPIServerRequest)
    throws(KubeAPIServerFailure)
    -> KubeAPIServerReply
  {
    let incoming = try decodeBody(request)
    try checkIdentity(incoming, target)
    let old = try existing(target)
    if let version = incoming["metadata"]?["resourceVersion"]?.stringValue, !version.isEmpty,
      version != old["metadata"]?["resourceVersion"]?.stringValue
    {
      throw .staleResourceVersion(target.resource, name: target.name ?? "")
    }
    return try write(incoming, over: old, target: target, request: request)
  }

  func patch(_ target: KubeAPIServerTarget, _ request: KubeAPIServerRequest)
    throws(KubeAPIServerFailure)
    -> KubeAPIServerReply
  {
    let contentType =
      (request.headers["content-type"] ?? "").split(separator: ";").first.map {
        String($0).trimmingSpaces
      } ?? ""
    switch contentType {
    case "application/apply-patch+yaml":
      return try apply(target, request)
    case "application/merge-patch+json":
      let patch = try decodeBody(request)
      let old = try existing(target)
      if let version = patch["metadata"]?["resourceVersion"]?.stringValue,
        version != old["metadata"]?["resourceVersion"]?.stringValue
      {
        throw .staleResourceVersion(target.resource, name: target.name ?? "")
      }
      return try write(Self.mergePatch(old, patch), over: old, target: target, request: request)
    default:
      throw .unsupportedMediaType(contentType)
    }
  }

  /// RFC 7386 JSON merge patch.
  static func mergePatch(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
    guard case .object(let fields) = patch else { return patch }
    var result = target.objectValue ?? [:]
    for (key, value) in fields {
      if value.isNull {
        result[key] = nil
      } else {
        result[key] = mergePatch(result[key] ?? .null, value)
      }
    }
    return .object(result)
  }

  /// Stores a new version of an existing object from an update or merge patch: keeps what the
  /// client may not change, records field ownership, bumps generation on spec changes, and stores
  /// nothing when nothing changed.
  private func write(
    _ incoming: JSONValue, over old: JSONValue, target: KubeAPIServerTarget,
    request: KubeAPIServerRequest
  ) throws(KubeAPIServerFailure) -> KubeAPIServerReply {
    var object = settle(incoming, over: old, target: target)
    object = recordUpdate(old: old, new: object, manager: manager(request), target: target)
    return try commit(object, old: old, target: target, request: request)
  }

  /// The incoming object with the fields the server owns taken from the stored one.
  func settle(_ incoming: JSONValue, over old: JSONValue, target: KubeAPIServerTarget) -> JSONValue
  {
    var object: JSONValue
    if target.subresource == "status" {
      object = old.setting("status", incoming["status"])
    } else {
      object = incoming
      if target.resource.hasStatusSubresource { object = object.setting("status", old["status"]) }
      var metadata = object["metadata"]?.objectValue ?? [:]
      for key in [
        "uid", "creationTimestamp", "generation", "namespace", "deletionTimestamp", "managedFields",
      ] {
        metadata[key] = old["metadata"]?[key]
      }
      metadata["name"] = old["metadata"]?["name"]
      object = object.setting("metadata", .object(metadata))
    }
    object = object.setting("apiVersion", .string(target.resource.apiVersion))
      .setting("kind", .string(target.resource.kind))
    return object
  }

  /// Stores a changed object (new resourceVersion, generation bumped when anything outside
  /// metadata and status changed), or returns the old one when nothing changed.
  func commit(
    _ proposed: JSONValue, old: JSONValue, target: KubeAPIServerTarget,
    request: KubeAPIServerRequest
  ) throws(KubeAPIServerFailure) -> KubeAPIServerReply {
    var object = proposed.setting(
      ["metadata", "resourceVersion"], old["metadata"]?["resourceVersion"])
    if object == old { return .json(200, old, headers: []) }
    func spec(_ value: JSONValue) -> JSONValue {
      value.setting("metadata", nil).setting("status", nil)
    }
    if spec(object) != spec(old) {
      let generation = old["metadata"]?["generation"]?.intValue ?? 0
      object = object.setting(["metadata", "generation"], .int(generation + 1))
    }
    try validateCustomResourceDefinition(object, target)
    if request.isDryRun { return .json(200, object, headers: []) }
    // An object being deleted goes once its last finalizer is removed.
    if object["metadata"]?["deletionTimestamp"] != nil,
      (object["metadata"]?["finalizers"]?.arrayValue ?? []).isEmpty
    {
      let deleted = store(
        object, old: old, resource: target.resource, type: "DELETED", state: &state)
      return .json(200, deleted, headers: [])
    }
    let stored = store(object, old: old, resource: target.resource, type: "MODIFIED", state: &state)
    registerIfDefinition(stored, target)
    return .json(200, stored, headers: [])
  }
}
