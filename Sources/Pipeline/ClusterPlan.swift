import Collections
import Environments
import Foundation
import Kube
import YAML

/// The plan of a run: what applying the desired state would create, update and prune, computed
/// against the environment's cluster when it can be reached, or against an empty cluster.
///
/// An object is unchanged when every field the desired object sets has the same value live (fields
/// the server adds, such as defaults and status, do not count); otherwise it is an update, and its
/// diff shows the desired fields against their live values. Objects of the rendered kinds that
/// carry this environment's tracking label but are no longer rendered are pruned.
struct ClusterPlan {
  /// A cluster the plan can be computed against, or why there is none.
  enum Target {
    case cluster(KubeClient, context: String)
    case empty(reason: String)
  }

  /// Connects to the environment's cluster: the kubeconfig (or in-cluster account) at hand, the
  /// environment's context unless one is given; reachable when the API server answers discovery.
  static func connect(
    environment: Environment, options: CIOptions
  ) async -> Target {
    let context = options.kubeContext ?? environment.spec.cluster.context
    var configuration: KubeClientConfiguration
    do {
      configuration = try KubeClientConfiguration.load(
        kubeconfig: options.kubeconfig, context: context,
        environment: options.processEnvironment)
    } catch {
      return .empty(reason: "no cluster credentials: \(error)")
    }
    // A plan should not wait half a minute for a cluster that is not there.
    configuration.timeout = 10
    configuration.namespace = environment.spec.namespace
    let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    do {
      _ = try await client.restMapper()
    } catch {
      return .empty(reason: "the cluster at \(configuration.server) is not reachable: \(error)")
    }
    return .cluster(client, context: context ?? "current context")
  }

  static func plan(_ desired: DesiredState, target: Target) async throws -> CIReport.PlanSummary {
    let client: KubeClient
    switch target {
    case .cluster(let connected, _):
      client = connected
    case .empty(let reason):
      let changes = desired.objects.map {
        CIReport.ObjectChange(
          object: $0.key.description, action: "create",
          diff: LineDiff.unified(old: "", new: yaml(masked($0.object))))
      }
      return CIReport.PlanSummary(
        against: "empty", note: reason, create: changes.count, update: 0, unchanged: 0,
        prune: 0, changes: changes)
    }
    var changes: [CIReport.ObjectChange] = []
    var unchanged = 0
    var create = 0
    var update = 0
    for object in desired.objects {
      let apiVersion = object.object["apiVersion"]?.stringValue ?? ""
      let resource = try await client.resource(apiVersion: apiVersion, kind: object.key.kind)
      let live = try await client.getIfPresent(
        resource, namespace: object.key.namespace.isEmpty ? nil : object.key.namespace,
        name: object.key.name)
      guard let live else {
        create += 1
        changes.append(
          CIReport.ObjectChange(
            object: object.key.description, action: "create",
            diff: LineDiff.unified(old: "", new: yaml(masked(object.object)))))
        continue
      }
      let projected = project(live, onto: object.object)
      if projected == object.object {
        unchanged += 1
        continue
      }
      update += 1
      changes.append(
        CIReport.ObjectChange(
          object: object.key.description, action: "update",
          diff: LineDiff.unified(
            old: yaml(masked(projected)), new: yaml(masked(object.object)))))
    }
    let prune = try await pruneSet(desired, client: client)
    for key in prune {
      changes.append(CIReport.ObjectChange(object: key, action: "prune", diff: ""))
    }
    return CIReport.PlanSummary(
      against: "cluster", note: nil, create: create, update: update, unchanged: unchanged,
      prune: prune.count, changes: changes)
  }

  /// Objects of the rendered kinds with this environment's tracking label, no longer rendered.
  static func pruneSet(_ desired: DesiredState, client: KubeClient) async throws -> [String] {
    struct Kind: Hashable, Comparable {
      var apiVersion: String
      var kind: String
      static func < (a: Kind, b: Kind) -> Bool { (a.apiVersion, a.kind) < (b.apiVersion, b.kind) }
    }
    let kinds = Set(
      desired.objects.map {
        Kind(apiVersion: $0.object["apiVersion"]?.stringValue ?? "", kind: $0.key.kind)
      })
    let wanted = Set(desired.objects.map(\.key))
    var prune: [String] = []
    for kind in kinds.sorted() {
      let resource = try await client.resource(apiVersion: kind.apiVersion, kind: kind.kind)
      let list = try await client.listAll(
        resource, namespace: resource.namespaced ? desired.environment.spec.namespace : nil,
        labelSelector: TrackingMarks.selector(environment: desired.environment.name))
      for item in list.items {
        guard let key = ObjectKey(object: item), !wanted.contains(key),
          TrackingMarks.isOwned(item, by: desired.environment.name)
        else { continue }
        prune.append(key.description)
      }
    }
    return prune.sorted()
  }

  /// The live object cut down to the fields `desired` sets, so that a comparison ignores what the
  /// server added.
  static func project(_ live: JSONValue, onto desired: JSONValue) -> JSONValue {
    switch (live, desired) {
    case (.object(let liveFields), .object(let desiredFields)):
      var result = OrderedDictionary<String, JSONValue>()
      for (key, value) in desiredFields {
        guard let liveValue = liveFields[key] else { continue }
        result[key] = project(liveValue, onto: value)
      }
      return .object(result)
    case (.array(let liveItems), .array(let desiredItems))
    where liveItems.count == desiredItems.count:
      return .array(zip(liveItems, desiredItems).map { project($0, onto: $1) })
    default:
      return live
    }
  }

  /// A Secret with its values replaced: the plan is published in the job summary.
  static func masked(_ object: JSONValue) -> JSONValue {
    guard object["kind"]?.stringValue == "Secret", (object["apiVersion"]?.stringValue ?? "") == "v1"
    else { return object }
    var result = object
    for field in ["data", "stringData"] {
      guard case .object(let values)? = object[field] else { continue }
      for key in values.keys { result.set([field, key], .string("*** (masked)")) }
    }
    return result
  }

  static func yaml(_ value: JSONValue) -> String {
    YAML.dump(value)
  }
}
