import YAML

/// What identifies an object in a cluster: API group, kind, namespace (empty for cluster-scoped
/// kinds) and name. Written `group/Kind:namespace/name` (`apps/Deployment:tripgen-dev/user-service`,
/// `/Service:tripgen-dev/redis` for the core group), as Argo CD writes it in tracking ids.
public struct ObjectKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public var group: String
  public var kind: String
  public var namespace: String
  public var name: String

  public init(group: String, kind: String, namespace: String, name: String) {
    self.group = group
    self.kind = kind
    self.namespace = namespace
    self.name = name
  }

  /// The key of an object; nil when it has no kind or name.
  public init?(object: JSONValue) {
    guard let kind = object["kind"]?.stringValue,
      let name = object["metadata"]?["name"]?.stringValue
    else { return nil }
    let apiVersion = object["apiVersion"]?.stringValue ?? ""
    self.init(
      group: Self.group(ofAPIVersion: apiVersion), kind: kind,
      namespace: object["metadata"]?["namespace"]?.stringValue ?? "", name: name)
  }

  /// Parses `group/Kind:namespace/name`.
  public init?(_ text: String) {
    let halves = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    guard halves.count == 2 else { return nil }
    let type = halves[0].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    let place = halves[1].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    guard type.count == 2, place.count == 2, !type[1].isEmpty, !place[1].isEmpty else { return nil }
    self.init(
      group: String(type[0]), kind: String(type[1]), namespace: String(place[0]),
      name: String(place[1]))
  }

  /// `apps` for `apps/v1`, empty for `v1`.
  public static func group(ofAPIVersion apiVersion: String) -> String {
    guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
    return String(apiVersion[..<slash])
  }

  public var description: String { "\(group)/\(kind):\(namespace)/\(name)" }

  /// `Deployment tripgen-dev/user-service`, for people.
  public var displayName: String {
    namespace.isEmpty ? "\(kind) \(name)" : "\(kind) \(namespace)/\(name)"
  }

  public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
    (lhs.group, lhs.kind, lhs.namespace, lhs.name) < (rhs.group, rhs.kind, rhs.namespace, rhs.name)
  }
}

/// Kinds that are not namespaced, for rendering without a cluster (discovery confirms them when one
/// is reachable).
public enum ClusterScopedKinds {
  /// Group and kind pairs of the built-in cluster-scoped kinds.
  public static let builtIn: Set<String> = [
    "/Namespace", "/Node", "/PersistentVolume", "rbac.authorization.k8s.io/ClusterRole",
    "rbac.authorization.k8s.io/ClusterRoleBinding", "storage.k8s.io/StorageClass",
    "storage.k8s.io/CSIDriver", "storage.k8s.io/VolumeAttachment",
    "networking.k8s.io/IngressClass", "scheduling.k8s.io/PriorityClass",
    "apiextensions.k8s.io/CustomResourceDefinition",
    "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
    "admissionregistration.k8s.io/MutatingWebhookConfiguration",
    "apiregistration.k8s.io/APIService",
    "node.k8s.io/RuntimeClass", "policy/PodSecurityPolicy",
    "certificates.k8s.io/CertificateSigningRequest",
    "flowcontrol.apiserver.k8s.io/FlowSchema",
    "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
  ]

  public static func contains(group: String, kind: String) -> Bool {
    builtIn.contains("\(group)/\(kind)")
  }
}
