import Foundation
import GitOps

/// What the controller knows about one environment: the page at `/` and `/api/v1/environments`
/// show it. Rebuilt from Git and the cluster after a restart (crash-only), never persisted.
public struct EnvironmentStatus: Sendable, Codable, Equatable {
  public var name: String
  public var namespace: String
  public var repository: String
  public var branch: String
  public var policy: Policy
  /// The newest revision of the branch the controller has seen.
  public var revision: RevisionInfo?
  /// The revision the cluster was last synced to.
  public var syncedRevision: String?
  public var syncStatus: SyncStatus
  /// The environment's overall health: the worst of its objects'.
  public var health: HealthStatus
  public var objects: [ObjectStatus]
  /// The last syncs, newest first (at most ``EnvironmentStatus/historyLimit``).
  public var syncs: [SyncRecord]
  public var images: [ImageStatus]
  /// Whether the environment sleeps now (Deployments at zero), and why.
  public var sleep: SleepState?
  /// The last error (fetch, render, sync), until the next success.
  public var lastError: String?

  /// How many syncs the status keeps.
  public static let historyLimit = 10

  public init(
    name: String, namespace: String, repository: String, branch: String, policy: Policy
  ) {
    self.name = name
    self.namespace = namespace
    self.repository = repository
    self.branch = branch
    self.policy = policy
    syncStatus = .unknown
    health = .unknown
    objects = []
    syncs = []
    images = []
  }

  /// The sync policy in force.
  public struct Policy: Sendable, Codable, Equatable {
    public var automated: Bool
    public var prune: Bool
    public var selfHeal: Bool

    public init(automated: Bool, prune: Bool, selfHeal: Bool) {
      self.automated = automated
      self.prune = prune
      self.selfHeal = selfHeal
    }
  }

  /// Adds a sync to the front of the list, keeping the newest few.
  public mutating func record(_ sync: SyncRecord) {
    syncs.insert(sync, at: 0)
    if syncs.count > Self.historyLimit { syncs.removeLast(syncs.count - Self.historyLimit) }
  }

  /// The worst health of the objects (Healthy when there are none).
  public mutating func recomputeHealth() {
    health = objects.map(\.health).max() ?? .healthy
    if objects.contains(where: { $0.sync == .outOfSync }) {
      if syncStatus == .synced { syncStatus = .outOfSync }
    }
  }
}

/// A commit as the page shows it.
public struct RevisionInfo: Sendable, Codable, Equatable {
  public var commit: String
  public var author: String
  public var message: String
  public var time: Date

  public init(commit: String, author: String, message: String, time: Date) {
    self.commit = commit
    self.author = author
    self.message = message
    self.time = time
  }

  /// The first 7 hex digits, as Git abbreviates.
  public var shortCommit: String { String(commit.prefix(7)) }
}

/// Argo CD's sync status.
public enum SyncStatus: String, Sendable, Codable, Equatable {
  case synced = "Synced"
  case outOfSync = "OutOfSync"
  case syncing = "Syncing"
  case unknown = "Unknown"
}

/// Argo CD's health statuses, ordered from best to worst (the environment's health is the worst).
public enum HealthStatus: String, Sendable, Codable, Equatable, Comparable {
  case healthy = "Healthy"
  case suspended = "Suspended"
  case progressing = "Progressing"
  case unknown = "Unknown"
  case missing = "Missing"
  case degraded = "Degraded"

  private var rank: Int {
    switch self {
    case .healthy: 0
    case .suspended: 1
    case .progressing: 2
    case .unknown: 3
    case .missing: 4
    case .degraded: 5
    }
  }

  public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.rank < rhs.rank }
}

/// One object of the environment.
public struct ObjectStatus: Sendable, Codable, Equatable {
  /// `apps/Deployment:tripgen-dev/user-service`.
  public var key: String
  public var kind: String
  public var name: String
  public var health: HealthStatus
  /// Why the object is not Healthy (the rollout's or pod's reason), nil when it is.
  public var reason: String?
  public var sync: SyncStatus

  public init(
    key: String, kind: String, name: String, health: HealthStatus, reason: String?,
    sync: SyncStatus
  ) {
    self.key = key
    self.kind = kind
    self.name = name
    self.health = health
    self.reason = reason
    self.sync = sync
  }
}

/// One sync, as the page lists it.
public struct SyncRecord: Sendable, Codable, Equatable {
  public var revision: String
  public var trigger: SyncTrigger
  public var result: SyncOutcome.Result
  public var started: Date
  public var finished: Date
  /// What was applied or why it failed.
  public var message: String

  public init(
    revision: String, trigger: SyncTrigger, result: SyncOutcome.Result, started: Date,
    finished: Date, message: String
  ) {
    self.revision = revision
    self.trigger = trigger
    self.result = result
    self.started = started
    self.finished = finished
    self.message = message
  }
}

/// A service image the revision deploys.
public struct ImageStatus: Sendable, Codable, Equatable {
  public var name: String
  /// `registry/repository@sha256:...` or `registry/repository:tag` while waiting for the image.
  public var reference: String
  public var digest: String?

  public init(name: String, reference: String, digest: String?) {
    self.name = name
    self.reference = reference
    self.digest = digest
  }
}
