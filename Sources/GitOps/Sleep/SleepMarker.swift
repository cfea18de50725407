import Environments
import Foundation
import Kube
import YAML

/// Whether an environment sleeps, kept in the cluster (crash-only: a restarted controller and the
/// `tripgen env` command read the same thing): a ConfigMap `tripgen-sleep-<env>` in the
/// environment's namespace.
///
/// It carries no tracking marks, so the engine never counts it as the environment's own object
/// and never prunes it. Syncs read it and apply Deployments at zero replicas while it says asleep,
/// so self-heal agrees with the schedule instead of fighting it.
public struct SleepState: Sendable, Codable, Equatable {
  public var asleep: Bool
  /// `schedule` or `manual`.
  public var reason: String
  public var since: Date
  /// The phase the schedule last put the environment in (`asleep`/`awake`); the schedule acts only
  /// when its phase changes, so a manual wake at night holds until the next scheduled sleep.
  public var schedulePhase: String?
  /// The Deployments' replicas before a manual sleep, restored by a manual wake.
  public var replicas: [String: Int]

  public init(
    asleep: Bool, reason: String, since: Date, schedulePhase: String? = nil,
    replicas: [String: Int] = [:]
  ) {
    self.asleep = asleep
    self.reason = reason
    self.since = since
    self.schedulePhase = schedulePhase
    self.replicas = replicas
  }
}

/// Reads and writes the sleep ConfigMap.
public struct SleepMarker: Sendable {
  public let client: KubeClient
  public let environment: String
  public let namespace: String

  public static let label = "tripgen.io/sleep-of"

  public init(client: KubeClient, environment: String, namespace: String) {
    self.client = client
    self.environment = environment
    self.namespace = namespace
  }

  /// The ConfigMap's name.
  public var name: String { "tripgen-sleep-\(environment)" }

  /// The state, or nil when the environment never slept.
  public func read() async throws -> SleepState? {
    let resource = try await client.resource(apiVersion: "v1", kind: "ConfigMap")
    guard let object = try await client.getIfPresent(resource, namespace: namespace, name: name),
      let data = object["data"]
    else { return nil }
    let replicas: [String: Int] =
      (try? data["replicas"]?.stringValue.map { try KubeJSON.decode(Array($0.utf8)) })??
      .objectValue?.reduce(into: [:]) { $0[$1.key] = $1.value.intValue } ?? [:]
    return SleepState(
      asleep: data["asleep"]?.stringValue == "true",
      reason: data["reason"]?.stringValue ?? "manual",
      since: data["since"]?.stringValue.flatMap { try? Date($0, strategy: .iso8601) } ?? Date(),
      schedulePhase: data["schedulePhase"]?.stringValue, replicas: replicas)
  }

  /// Writes the state (server-side apply, field manager `tripgen-sleep`).
  public func write(_ state: SleepState) async throws {
    var replicas: JSONValue = [:]
    for (name, count) in state.replicas.sorted(by: { $0.key < $1.key }) {
      replicas.set([name], .int(count))
    }
    var data: JSONValue = [
      "asleep": .string(state.asleep ? "true" : "false"), "reason": .string(state.reason),
      "since": .string(state.since.formatted(.iso8601)),
      "replicas": .string(String(decoding: KubeJSON.encode(replicas), as: UTF8.self)),
    ]
    if let phase = state.schedulePhase { data.set(["schedulePhase"], .string(phase)) }
    let object: JSONValue = [
      "apiVersion": "v1", "kind": "ConfigMap",
      "metadata": [
        "name": .string(name), "namespace": .string(namespace),
        "labels": [Self.label: .string(environment)],
      ],
      "data": data,
    ]
    _ = try await client.apply(object, fieldManager: "tripgen-sleep", force: true)
  }
}
