import Environments

/// Argo CD's sync status, of an object or a whole environment.
public enum SyncStatus: String, Sendable, Codable, Equatable {
  case synced = "Synced"
  case outOfSync = "OutOfSync"
  /// A sync is running (the controller's view of an environment).
  case syncing = "Syncing"
  /// Not known yet (no revision read, or it could not be rendered).
  case unknown = "Unknown"
}

/// How one object stands: in sync or not, and its health. The CLI's `tripgen status` and the
/// controller's status page both show this.
public struct ObjectStatus: Sendable, Codable, Equatable {
  /// `group/Kind:namespace/name`.
  public var key: String
  public var kind: String
  public var namespace: String
  public var name: String
  public var sync: SyncStatus
  /// No longer desired but still in the cluster: a sync with prune deletes it (Argo CD's
  /// `requiresPruning`).
  public var requiresPruning: Bool
  public var health: HealthAssessment
  /// The fields that differ, for an object out of sync.
  public var changedPaths: [String]

  public init(
    key: ObjectKey, sync: SyncStatus, health: HealthAssessment, changedPaths: [String] = [],
    requiresPruning: Bool = false
  ) {
    self.key = key.description
    kind = key.kind
    namespace = key.namespace
    name = key.name
    self.sync = sync
    self.requiresPruning = requiresPruning
    self.health = health
    self.changedPaths = changedPaths
  }

  /// `Synced`, `OutOfSync`, or `Prune` for an object to delete: the SYNC column of the tables.
  public var syncLabel: String { requiresPruning ? "Prune" : sync.rawValue }
}

/// How an environment stands against its desired state: what `tripgen status` shows and the
/// controller reports.
public struct EnvironmentStatus: Sendable, Codable {
  public var environment: String
  public var namespace: String
  /// The revision the desired state was rendered from.
  public var revision: String
  public var sync: SyncStatus
  /// The worst health over the objects.
  public var health: HealthAssessment
  public var objects: [ObjectStatus]
  /// The last recorded sync.
  public var lastSync: SyncHistoryEntry?
  /// Images the desired state needs that are not in the registry yet.
  public var waitingForImages: [String]

  /// An environment nothing is known of yet: sync status Unknown, health Unknown, no objects.
  public init(environment: String, namespace: String) {
    self.environment = environment
    self.namespace = namespace
    revision = ""
    sync = .unknown
    health = HealthAssessment(status: .unknown)
    objects = []
    waitingForImages = []
  }

  /// Replaces (or adds) one object's status, keeping the objects sorted by key, and recomputes
  /// the environment's health: the worst of its objects' (gitops-engine's order).
  public mutating func update(_ object: ObjectStatus) {
    if let index = objects.firstIndex(where: { $0.key == object.key }) {
      objects[index] = object
    } else {
      objects.append(object)
      objects.sort { $0.key < $1.key }
    }
    recomputeHealth()
  }

  /// The environment's health from its objects' (Healthy when there are none).
  public mutating func recomputeHealth() {
    health = HealthAssessor.aggregate(
      objects.map { (name: "\($0.kind)/\($0.name)", assessment: $0.health) })
  }
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
          key: object.key, sync: object.action == .unchanged ? .synced : .outOfSync,
          health: health, changedPaths: object.changedPaths))
    }
    for stale in plan.prune where stale.action == .prune || stale.note == PlanNotes.pruneOff {
      objects.append(
        ObjectStatus(
          key: stale.key, sync: .outOfSync,
          health: try await assess(stale.key, live: stale.live), requiresPruning: true))
    }
    var status = EnvironmentStatus(
      environment: desired.environment.name, namespace: desired.environment.spec.namespace)
    status.revision = desired.revision
    status.sync = plan.isOutOfSync ? .outOfSync : .synced
    status.objects = objects
    status.recomputeHealth()
    status.lastSync = try await history(of: desired.environment).entries().last
    status.waitingForImages = plan.waitingForImages.map(\.reference)
    return status
  }
}
