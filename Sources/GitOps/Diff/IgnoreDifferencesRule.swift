import YAML

/// Fields that never count in the diff of the objects of one group and kind (Argo CD's
/// `ignoreDifferences` with `jsonPointers`): e.g. `/spec/replicas` of Deployments an autoscaler owns.
public struct IgnoreDifferencesRule: Sendable, Equatable {
  /// The API group (`apps`; empty for the core group), or `*` for any.
  public var group: String
  /// The kind (`Deployment`), or `*` for any.
  public var kind: String
  /// Only the object of this name, when set.
  public var name: String?
  /// Only objects in this namespace, when set.
  public var namespace: String?
  public var jsonPointers: [JSONPointer]

  public init(
    group: String, kind: String, name: String? = nil, namespace: String? = nil,
    jsonPointers: [JSONPointer]
  ) {
    self.group = group
    self.kind = kind
    self.name = name
    self.namespace = namespace
    self.jsonPointers = jsonPointers
  }

  /// Whether the rule applies to `object`, by its `apiVersion`, `kind`, name and namespace.
  public func matches(_ object: JSONValue) -> Bool {
    let apiVersion = object["apiVersion"]?.stringValue ?? ""
    let objectGroup = apiVersion.firstIndex(of: "/").map { String(apiVersion[..<$0]) } ?? ""
    guard group == "*" || group == objectGroup else { return false }
    guard kind == "*" || kind == object["kind"]?.stringValue else { return false }
    if let name, name != object["metadata"]?["name"]?.stringValue { return false }
    if let namespace, namespace != object["metadata"]?["namespace"]?.stringValue { return false }
    return true
  }
}
