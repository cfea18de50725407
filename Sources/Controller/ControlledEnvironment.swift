import Environments
import Foundation
import GitOps

/// What the controller knows about one environment: the page at `/` and `/api/v1/environments`
/// show it. ``status`` is the engine's ``EnvironmentStatus`` (the same type `tripgen status`
/// prints), kept current by the watches; the rest is the controller's own: where the revisions
/// come from, the policy in force, its recent syncs. Rebuilt from Git and the cluster after a
/// restart (crash-only), never persisted.
public struct ControlledEnvironment: Sendable, Codable {
  public var name: String
  public var repository: String
  public var branch: String
  public var policy: Policy
  /// The newest revision of the branch the controller has seen.
  public var revision: RevisionInfo?
  /// The revision the cluster was last synced to.
  public var syncedRevision: String?
  /// Sync status, health and objects, as the engine defines them.
  public var status: EnvironmentStatus
  /// The last syncs, newest first (at most ``ControlledEnvironment/historyLimit``).
  public var syncs: [SyncRecord]
  /// The images the revision deploys, with their digests (none while waiting for an image).
  public var images: [ImageBinding]
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
    self.repository = repository
    self.branch = branch
    self.policy = policy
    status = EnvironmentStatus(environment: name, namespace: namespace)
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
