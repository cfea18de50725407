import YAML

/// Typed reads from an unstructured Kubernetes object, with the API's defaults for absent fields
/// (a missing count is 0, a missing string is empty), as Go's typed structs would give them.
struct HealthObject {
  let value: JSONValue

  init(_ value: JSONValue) { self.value = value }

  /// The value at a path of object keys, or nil when any step is absent.
  func at(_ path: [String]) -> JSONValue? {
    var current = value
    for key in path {
      guard let next = current[key] else { return nil }
      current = next
    }
    return current
  }

  func string(_ path: String...) -> String? { at(path)?.stringValue }

  /// An integer field; JSON numbers decoded as doubles (`3.0`) count when they are integral.
  func int(_ path: String...) -> Int? { Self.integer(at(path)) }

  /// An integer field with Go's zero value for an absent field.
  func count(_ path: String...) -> Int { Self.integer(at(path)) ?? 0 }

  func bool(_ path: String...) -> Bool { at(path)?.boolValue ?? false }

  func array(_ path: String...) -> [JSONValue] { at(path)?.arrayValue ?? [] }

  var name: String { string("metadata", "name") ?? "" }
  var kind: String { string("kind") ?? "" }

  /// The API group from `apiVersion` (`apps/v1` -> `apps`, `v1` -> the core group, empty).
  var group: String {
    guard let apiVersion = string("apiVersion"), let slash = apiVersion.firstIndex(of: "/") else {
      return ""
    }
    return String(apiVersion[..<slash])
  }

  var generation: Int { count("metadata", "generation") }
  var observedGeneration: Int { count("status", "observedGeneration") }
  var isBeingDeleted: Bool {
    guard let stamp = at(["metadata", "deletionTimestamp"]) else { return false }
    return !stamp.isNull
  }

  /// The `status.conditions` entry of `type`, if the object has one.
  func condition(_ type: String) -> HealthCondition? {
    conditions.first { $0.type == type }
  }

  var conditions: [HealthCondition] {
    array("status", "conditions").map(HealthCondition.init)
  }

  static func integer(_ value: JSONValue?) -> Int? {
    switch value {
    case .int(let i): return i
    case .double(let d) where d.rounded() == d && abs(d) < 9e15: return Int(d)
    default: return nil
    }
  }
}
