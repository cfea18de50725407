import Environments

/// How one object stands: in sync or not, and its health.
public struct ObjectStatus: Sendable, Codable {
  /// `group/Kind:namespace/name`.
  public var key: String
  public var kind: String
  public var namespace: String
  public var name: String
  /// `Synced`, `OutOfSync` (to create or update), or `Prune` (stale, to delete).
  public var sync: String
  public var health: HealthAssessment
  /// The fields that differ, for an object out of sync.
  public var changedPaths: [String]
}

/// How an environment stands against its desired state: what `tripgen status` shows and the
/// controller reports.
public struct EnvironmentStatus: Sendable, Codable {
  public var environment: String
  public var namespace: String
  /// The revision the desired state was rendered from.
  public var revision: String
  /// `Synced` or `OutOfSync`.
  public var sync: String
  /// The worst health over the objects.
  public var health: HealthAssessment
  public var objects: [ObjectStatus]
  /// The last recorded sync.
  public var lastSync: SyncHistoryEntry?
  /// Images the desired state needs that are not in the registry yet.
  public var waitingForImages: [String]
}

extension GitOpsEngine {
  /// The environment's sync status (a plan against the live objects), the health of each object,
  /// and its last sync.
  public func status(_ desired: DesiredState) async throws -> EnvironmentStatus {
    let plan = try await plan(desired, requireImages: false)
    var objects: [ObjectStatus] = []
    for object in plan.objects where object.hook == nil {
      let health =
        object.live == nil
        ? HealthAssessment(status: .missing, message: "not in the cluster")
        : try await assess(object.key, live: object.live)
      objects.append(
        ObjectStatus(
          key: object.key.description, kind: object.key.kind, namespace: object.key.namespace,
          name: object.key.name, sync: object.action == .unchanged ? "Synced" : "OutOfSync",
          health: health, changedPaths: object.changedPaths))
    }
    for stale in plan.prune where stale.action == .prune || stale.note == PlanNotes.pruneOff {
      objects.append(
        ObjectStatus(
          key: stale.key.description, kind: stale.key.kind, namespace: stale.key.namespace,
          name: stale.key.name, sync: "Prune",
          health: try await assess(stale.key, live: stale.live), changedPaths: []))
    }
    let health = HealthAssessor.aggregate(
      objects.map { (name: "\($0.kind)/\($0.name)", assessment: $0.health) })
    return EnvironmentStatus(
      environment: desired.environment.name, namespace: desired.environment.spec.namespace,
      revision: desired.revision, sync: plan.isOutOfSync ? "OutOfSync" : "Synced", health: health,
      objects: objects, lastSync: try await history(of: desired.environment).entries().last,
      waitingForImages: plan.waitingForImages.map(\.reference))
  }
}
