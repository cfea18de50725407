import Environments
import Kube
import YAML

/// Reads an environment's objects from the cluster: every kind it uses, listed by the environment
/// label in the namespaces it uses (cluster-wide for cluster-scoped kinds).
struct LiveStateReader {
  let client: KubeClient

  /// The live objects by key. Kinds the cluster does not serve (a CRD removed since) are skipped:
  /// nothing of theirs can exist.
  func read(
    environment: String, groupKinds: Set<GroupKind>, namespaces: Set<String>
  ) async throws -> [ObjectKey: JSONValue] {
    var live: [ObjectKey: JSONValue] = [:]
    let selector = TrackingMarks.selector(environment: environment)
    for groupKind in groupKinds.sorted() {
      guard let resource = try await client.resource(groupKind: groupKind) else { continue }
      let scopes: [String?] = resource.namespaced ? namespaces.sorted().map { $0 } : [nil]
      for namespace in scopes {
        let list = try await client.listAll(
          resource, namespace: namespace, labelSelector: selector)
        for item in list.items {
          guard let key = ObjectKey(object: item) else { continue }
          live[key] = item
        }
      }
    }
    return live
  }
}

extension KubeClient {
  /// The served resource of a group and kind (the preferred version discovery lists first), or nil.
  func resource(groupKind: GroupKind) async throws -> KubeAPIResource? {
    let find: (KubeRESTMapper) -> KubeAPIResource? = { mapper in
      mapper.resources.first {
        $0.group == groupKind.group && $0.kind == groupKind.kind && !$0.name.contains("/")
      }
    }
    if let found = find(try await restMapper()) { return found }
    return find(try await refreshDiscovery())
  }
}
