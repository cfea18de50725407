import Crypto
import Environments
import Foundation
import Kube
import YAML

/// The environment's inventory: an ApplySet parent object (KEP-3659) in the environment's namespace,
/// a ConfigMap that lists every object the environment applied. Prune deletes only objects that are
/// in it and no longer desired, so an object that is not ours is never deleted because of a label.
///
/// Following the ApplySet conventions, the parent carries the label `applyset.kubernetes.io/id`
/// (`applyset-<base64url(sha256(name.namespace.kind.group))>-v1`), the annotations
/// `applyset.kubernetes.io/tooling` and `applyset.kubernetes.io/contains-group-kinds`, and members
/// carry `applyset.kubernetes.io/part-of` with the id. The member list itself is in the ConfigMap's
/// data (`members`, one `group/Kind:namespace/name` per line), so an inventory is readable without
/// listing every kind in the cluster.
public struct ApplySetInventory: Sendable {
  public static let idLabel = "applyset.kubernetes.io/id"
  public static let partOfLabel = "applyset.kubernetes.io/part-of"
  public static let toolingAnnotation = "applyset.kubernetes.io/tooling"
  public static let groupKindsAnnotation = "applyset.kubernetes.io/contains-group-kinds"
  public static let additionalNamespacesAnnotation = "applyset.kubernetes.io/additional-namespaces"
  /// The data key holding the member list.
  public static let membersKey = "members"

  public let environment: String
  public let namespace: String

  public init(environment: String, namespace: String) {
    self.environment = environment
    self.namespace = namespace
  }

  /// The parent ConfigMap's name.
  public var name: String { "tripgen-applyset-\(environment)" }

  /// The ApplySet id, as KEP-3659 derives it from the parent's name, namespace, kind and group.
  public var id: String {
    let digest = SHA256.hash(data: Data("\(name).\(namespace).ConfigMap.".utf8))
    let encoded = Data(digest).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
    return "applyset-\(encoded)-v1"
  }

  /// The members recorded in the cluster (empty when there is no parent yet).
  public func read(client: KubeClient) async throws -> Set<ObjectKey> {
    let resource = try await client.resource(apiVersion: "v1", kind: "ConfigMap")
    guard let parent = try await client.getIfPresent(resource, namespace: namespace, name: name)
    else { return [] }
    return try members(of: parent)
  }

  /// The members listed by a parent object.
  func members(of parent: JSONValue) throws(GitOpsError) -> Set<ObjectKey> {
    let text = parent["data"]?[Self.membersKey]?.stringValue ?? ""
    var keys: Set<ObjectKey> = []
    for line in text.split(separator: "\n") where !line.isEmpty {
      guard let key = ObjectKey(String(line)) else {
        throw .corruptRecord(
          object: "ConfigMap \(namespace)/\(name)",
          message: "member \"\(line)\" is not group/Kind:namespace/name")
      }
      keys.insert(key)
    }
    return keys
  }

  /// The parent object listing `members`.
  public func parent(members: Set<ObjectKey>) -> JSONValue {
    let groupKinds = Set(members.map(GroupKind.init)).sorted().map(\.applySetName)
    let otherNamespaces = Set(members.map(\.namespace)).subtracting(["", namespace]).sorted()
    var annotations: [String: String] = [
      Self.toolingAnnotation: "tripgen/v1",
      Self.groupKindsAnnotation: groupKinds.joined(separator: ","),
    ]
    if !otherNamespaces.isEmpty {
      annotations[Self.additionalNamespacesAnnotation] = otherNamespaces.joined(separator: ",")
    }
    return [
      "apiVersion": "v1", "kind": "ConfigMap",
      "metadata": [
        "name": .string(name), "namespace": .string(namespace),
        "labels": [
          .init(Self.idLabel): .string(id),
          .init(TrackingMarks.managedByLabel): .string(TrackingMarks.managedByValue),
        ],
        "annotations": .object(
          .init(
            uniqueKeysWithValues: annotations.sorted { $0.key < $1.key }.map {
              ($0.key, JSONValue.string($0.value))
            })),
      ],
      "data": [.init(Self.membersKey): .string(members.sorted().map { "\($0)\n" }.joined())],
    ]
  }

  /// Writes the member list when it differs from `current`; returns whether it wrote.
  @discardableResult
  public func write(members: Set<ObjectKey>, current: Set<ObjectKey>?, client: KubeClient)
    async throws -> Bool
  {
    if let current, current == members { return false }
    _ = try await client.apply(
      parent(members: members), fieldManager: GitOpsEngine.fieldManager, force: true)
    return true
  }

  /// A desired object labelled as a member of this ApplySet.
  public func marked(_ object: JSONValue) -> JSONValue {
    var object = object
    object.set(["metadata", "labels", Self.partOfLabel], .string(id))
    return object
  }
}
