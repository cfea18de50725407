import Collections
import YAML

/// One resource the test API server serves: what discovery reports for it.
public struct KubeAPIServerResource: Sendable, Hashable {
  public var group: String
  public var version: String
  public var kind: String
  public var plural: String
  public var singular: String
  public var shortNames: [String]
  public var namespaced: Bool
  /// Whether the kind has a `/status` subresource (writes to the main resource then ignore status).
  public var hasStatusSubresource: Bool
  /// Whether names must be DNS-1123 labels (63 characters, no dots) rather than subdomains.
  public var nameIsLabel: Bool

  public init(
    group: String, version: String, kind: String, plural: String, singular: String? = nil,
    shortNames: [String] = [], namespaced: Bool = true, hasStatusSubresource: Bool = true,
    nameIsLabel: Bool = false
  ) {
    self.group = group
    self.version = version
    self.kind = kind
    self.plural = plural
    self.singular = singular ?? kind.lowercased()
    self.shortNames = shortNames
    self.namespaced = namespaced
    self.hasStatusSubresource = hasStatusSubresource
    self.nameIsLabel = nameIsLabel
  }

  /// `deployments.apps`, or `pods` for the core group, as the API names a resource in messages.
  var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
  /// `Deployment.apps`, as the API names a kind in Invalid messages.
  var qualifiedKind: String { group.isEmpty ? kind : "\(kind).\(group)" }
  var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
  /// Storage key: group and plural, so watchers and lists of one resource find its objects.
  var storageKey: String { "\(group)/\(plural)" }

  static let verbs: [JSONValue] = [
    "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch",
  ]

  var discoveryEntries: [JSONValue] {
    var main: OrderedJSON = [
      "name": .string(plural), "singularName": .string(singular),
      "namespaced": .bool(namespaced), "kind": .string(kind), "verbs": .array(Self.verbs),
    ]
    if !shortNames.isEmpty { main["shortNames"] = .array(shortNames.map { .string($0) }) }
    var entries: [JSONValue] = [.object(main)]
    if hasStatusSubresource {
      entries.append(
        .object([
          "name": .string("\(plural)/status"), "singularName": "",
          "namespaced": .bool(namespaced), "kind": .string(kind),
          "verbs": ["get", "patch", "update"],
        ]))
    }
    return entries
  }
}

typealias OrderedJSON = OrderedDictionary<String, JSONValue>

/// The built-in resources of Kubernetes 1.29 that TripGen's charts use.
extension KubeAPIServerResource {
  public static let builtIn: [KubeAPIServerResource] = [
    .init(
      group: "", version: "v1", kind: "Namespace", plural: "namespaces", shortNames: ["ns"],
      namespaced: false, nameIsLabel: true),
    .init(group: "", version: "v1", kind: "Pod", plural: "pods", shortNames: ["po"]),
    .init(
      group: "", version: "v1", kind: "Service", plural: "services", shortNames: ["svc"],
      nameIsLabel: true),
    .init(
      group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"],
      hasStatusSubresource: false),
    .init(
      group: "", version: "v1", kind: "Secret", plural: "secrets", hasStatusSubresource: false),
    .init(
      group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts",
      shortNames: ["sa"], hasStatusSubresource: false),
    .init(
      group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims",
      shortNames: ["pvc"]),
    .init(
      group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints",
      shortNames: ["ep"], hasStatusSubresource: false),
    .init(
      group: "", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"],
      hasStatusSubresource: false),
    .init(
      group: "", version: "v1", kind: "Node", plural: "nodes", shortNames: ["no"],
      namespaced: false),
    .init(
      group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes",
      shortNames: ["pv"], namespaced: false),
    .init(
      group: "apps", version: "v1", kind: "Deployment", plural: "deployments",
      shortNames: ["deploy"]),
    .init(
      group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"]
    ),
    .init(
      group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"]),
    .init(
      group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"]),
    .init(group: "batch", version: "v1", kind: "Job", plural: "jobs"),
    .init(group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", shortNames: ["cj"]),
    .init(
      group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses",
      shortNames: ["ing"]),
    .init(
      group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy",
      plural: "networkpolicies", shortNames: ["netpol"], hasStatusSubresource: false),
    .init(
      group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses",
      namespaced: false, hasStatusSubresource: false),
    .init(
      group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets",
      shortNames: ["pdb"]),
    .init(
      group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles",
      hasStatusSubresource: false),
    .init(
      group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding",
      plural: "rolebindings",
      hasStatusSubresource: false),
    .init(
      group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole",
      plural: "clusterroles",
      namespaced: false, hasStatusSubresource: false),
    .init(
      group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding",
      plural: "clusterrolebindings", namespaced: false, hasStatusSubresource: false),
    .init(
      group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses",
      shortNames: ["sc"], namespaced: false, hasStatusSubresource: false),
    .init(
      group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases",
      hasStatusSubresource: false),
    .init(
      group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler",
      plural: "horizontalpodautoscalers", shortNames: ["hpa"]),
    .init(
      group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
      plural: "customresourcedefinitions", shortNames: ["crd", "crds"], namespaced: false),
  ]
}
