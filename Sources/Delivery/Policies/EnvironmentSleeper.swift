import Environments
import Foundation
import GitOps
import Kube
import YAML

/// Puts an environment to sleep or wakes it by hand (`tripgen env sleep|wake`): scales its
/// Deployments to zero and back (not those exempt, the controller's own: see ``SleepAdjustment``),
/// leaves StatefulSets (PostgreSQL, Redis) running, and records the
/// state in the ``SleepMarker`` so a running controller applies the same replicas on its next sync
/// or self-heal instead of undoing it.
public struct EnvironmentSleeper: Sendable {
  public let client: KubeClient
  public let environment: String
  public let namespace: String
  /// The field manager of the replica changes (not the engine's `tripgen`: applying only
  /// `spec.replicas` as `tripgen` would drop every other field it owns).
  public static let fieldManager = "tripgen-sleep"

  public init(client: KubeClient, environment: String, namespace: String) {
    self.client = client
    self.environment = environment
    self.namespace = namespace
  }

  /// What one call changed: Deployment name → replicas set.
  public typealias Changes = [String: Int]

  /// Scales the environment's Deployments to zero, remembering their replicas.
  @discardableResult
  public func sleep(reason: String = "manual", now: Date = Date()) async throws -> Changes {
    let marker = SleepMarker(client: client, environment: environment, namespace: namespace)
    let previous = try await marker.read()
    var remembered = previous?.asleep == true ? previous?.replicas ?? [:] : [:]
    let live = try await deployments()
    for deployment in live {
      guard let name = deployment["metadata"]?["name"]?.stringValue else { continue }
      let replicas = deployment["spec"]?["replicas"]?.intValue ?? 1
      if replicas > 0 { remembered[name] = replicas }
    }
    // The marker first: a controller syncing between the two steps then applies zero replicas
    // too, instead of undoing the scale-down it has not been told about.
    try await marker.write(
      SleepState(
        asleep: true, reason: reason, since: now, schedulePhase: previous?.schedulePhase,
        replicas: remembered))
    var changes: Changes = [:]
    for deployment in live {
      guard let name = deployment["metadata"]?["name"]?.stringValue,
        deployment["spec"]?["replicas"]?.intValue != 0
      else { continue }
      try await scale(name, to: 0)
      changes[name] = 0
    }
    return changes
  }

  /// Scales the environment's Deployments back to the replicas they had before sleeping (one for
  /// a Deployment the marker does not know).
  @discardableResult
  public func wake(reason: String = "manual", now: Date = Date()) async throws -> Changes {
    let marker = SleepMarker(client: client, environment: environment, namespace: namespace)
    let previous = try await marker.read()
    // The marker first, as in `sleep`: a sync in between applies Git's replicas.
    try await marker.write(
      SleepState(asleep: false, reason: reason, since: now, schedulePhase: previous?.schedulePhase))
    var changes: Changes = [:]
    for deployment in try await deployments() {
      guard let name = deployment["metadata"]?["name"]?.stringValue,
        deployment["spec"]?["replicas"]?.intValue == 0
      else { continue }
      let replicas = previous?.replicas[name] ?? 1
      try await scale(name, to: replicas)
      changes[name] = replicas
    }
    return changes
  }

  private func deployments() async throws -> [JSONValue] {
    let resource = try await client.resource(apiVersion: "apps/v1", kind: "Deployment")
    return try await client.listAll(
      resource, namespace: namespace,
      labelSelector: TrackingMarks.selector(environment: environment)
    ).items.filter {
      TrackingMarks.isOwned($0, by: environment) && SleepAdjustment.isScaledDown($0)
    }
  }

  private func scale(_ name: String, to replicas: Int) async throws {
    let patch: JSONValue = [
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": ["name": .string(name), "namespace": .string(namespace)],
      "spec": ["replicas": .int(replicas)],
    ]
    _ = try await client.apply(patch, fieldManager: Self.fieldManager, force: true)
  }
}
