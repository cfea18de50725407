import Environments
import Kube
import YAML

/// One rendered object with its place in the sync.
struct ClassifiedObject {
  var key: ObjectKey
  var object: JSONValue
  var source: String
  var order: SyncOrder
  var hook: HookSpec?
  var skipReason: String?
}

extension GitOpsEngine {
  /// Reads every object's sync role and wave, checks what can be checked without the cluster (a
  /// namespace for namespaced kinds, no duplicates), and marks each as an ApplySet member. Every
  /// problem is collected before throwing, so one run names them all.
  func classify(_ desired: DesiredState, inventory: ApplySetInventory) throws -> [ClassifiedObject]
  {
    var problems: [ValidationProblem] = []
    var seen: [ObjectKey: String] = [:]
    var result: [ClassifiedObject] = []
    for rendered in desired.objects {
      let key = rendered.key
      if let first = seen[key] {
        problems.append(
          ValidationProblem(
            key: key, source: rendered.source, message: "rendered twice (also by \(first))"))
        continue
      }
      seen[key] = rendered.source
      if key.namespace.isEmpty, !ClusterScopedKinds.contains(group: key.group, kind: key.kind),
        !Self.isClusterScopedCustomKind(key, in: desired)
      {
        problems.append(
          ValidationProblem(
            key: key, source: rendered.source, message: "a namespaced kind without a namespace"))
      }
      do {
        let role = try SyncAnnotations.role(of: rendered.object, source: rendered.source)
        switch role {
        case .resource:
          let wave = try SyncAnnotations.wave(
            of: rendered.object, isHook: false, source: rendered.source)
          result.append(
            ClassifiedObject(
              key: key, object: inventory.marked(rendered.object), source: rendered.source,
              order: SyncAnnotations.order(key: key, phase: .sync, wave: wave)))
        case .hook(let spec):
          let wave = try SyncAnnotations.wave(
            of: rendered.object, isHook: true, source: rendered.source)
          result.append(
            ClassifiedObject(
              key: key, object: rendered.object, source: rendered.source,
              order: SyncAnnotations.order(key: key, phase: spec.phase, wave: wave), hook: spec))
        case .skipped(let reason):
          result.append(
            ClassifiedObject(
              key: key, object: rendered.object, source: rendered.source,
              order: SyncAnnotations.order(key: key, phase: .sync, wave: 0), skipReason: reason))
        }
      } catch {
        problems.append(ValidationProblem(key: key, source: rendered.source, message: "\(error)"))
      }
    }
    if !problems.isEmpty { throw GitOpsError.validation(problems) }
    return result
  }

  /// Whether a custom resource of the desired state is cluster-scoped by its CRD in the same state.
  private static func isClusterScopedCustomKind(_ key: ObjectKey, in desired: DesiredState) -> Bool
  {
    desired.objects.contains { object in
      object.key.kind == "CustomResourceDefinition"
        && object.object["spec"]?["group"]?.stringValue == key.group
        && object.object["spec"]?["names"]?["kind"]?.stringValue == key.kind
        && object.object["spec"]?["scope"]?.stringValue == "Cluster"
    }
  }

  /// The environment's namespace must exist, or be created by the desired state itself.
  func checkNamespace(of environment: Environment, desired: DesiredState) async throws {
    let namespace = environment.spec.namespace
    if desired.objects.contains(where: {
      $0.key.group == "" && $0.key.kind == "Namespace" && $0.key.name == namespace
    }) {
      return
    }
    let resource = try await client.resource(apiVersion: "v1", kind: "Namespace")
    do {
      if try await client.getIfPresent(resource, name: namespace) == nil {
        throw GitOpsError.namespaceMissing(namespace, environment: environment.name)
      }
    } catch let error as KubeError where error.isForbidden {
      // An identity confined to the namespace (the controller's Role) may not read Namespace
      // objects, which are cluster-scoped; a missing namespace then shows in the dry runs.
    }
  }
}
