import Environments
import Git
import YAML

/// The controller's one question to the engine: make the cluster equal to this environment at this
/// revision. Everything else (when to ask, retries, self-heal, sleep, status, events) is the
/// controller's.
///
/// An implementation must be safe to cancel: a cancelled task stops between two applies, so every
/// object is either applied or not (SIGTERM relies on this).
public protocol EnvironmentSyncer: Sendable {
  /// Renders, applies and (when asked) prunes; never throws: failures are an outcome.
  func sync(_ request: SyncRequest) async -> SyncOutcome

  /// The health of one live object and, when not Healthy, why.
  func health(of object: JSONValue) -> (HealthStatus, String?)
}

/// One sync the controller asks for.
public struct SyncRequest: Sendable {
  /// The environment as its file reads at `commit`.
  public var environment: Environment
  public var commit: Commit
  /// The repository `commit` is in (image tags are addressed by its source paths' object ids).
  public var repository: GitRepository
  /// The repository's files at `commit`.
  public var files: FileTree
  public var trigger: SyncTrigger
  /// Delete objects that left the desired state (the policy's `prune`, or a manual sync's choice).
  public var prune: Bool
  /// Asked before every write; a throw stops the sync (the lease was lost).
  public var writeGate: (@Sendable () async throws -> Void)?

  public init(
    environment: Environment, commit: Commit, repository: GitRepository, files: FileTree,
    trigger: SyncTrigger, prune: Bool, writeGate: (@Sendable () async throws -> Void)? = nil
  ) {
    self.environment = environment
    self.commit = commit
    self.repository = repository
    self.files = files
    self.trigger = trigger
    self.prune = prune
    self.writeGate = writeGate
  }
}

/// What made the controller sync.
public enum SyncTrigger: String, Sendable, Codable, Equatable {
  /// A new revision found by polling.
  case poll
  /// A new revision announced by a webhook.
  case webhook
  /// Live objects drifted from Git and self-heal is on.
  case selfHeal = "self-heal"
  /// A person asked (`POST /api/v1/environments/NAME/sync`).
  case manual
  /// The night/weekend schedule put the environment to sleep or woke it.
  case schedule
  /// A person asked to go back to a recorded revision.
  case rollback
  /// A failed sync tried again.
  case retry
}

/// How a sync ended.
public struct SyncOutcome: Sendable {
  public enum Result: String, Sendable, Codable, Equatable {
    case succeeded = "Succeeded"
    case failed = "Failed"
    /// Stopped between two applies (shutdown); what was applied stays applied.
    case cancelled = "Cancelled"
  }

  public var result: Result
  /// One line for people: what changed, or what failed and why.
  public var message: String
  /// Every desired object as applied (the state drift is measured against), with the live
  /// object the API returned.
  public var applied: [AppliedObject]
  /// The objects the sync wrote (created, changed or pruned).
  public var changed: [ObjectKey]
  /// The object that failed, when one did.
  public var failedObject: ObjectKey?
  /// The images the revision deploys.
  public var images: [ImageBinding]

  public init(
    result: Result, message: String, applied: [AppliedObject] = [], changed: [ObjectKey] = [],
    failedObject: ObjectKey? = nil, images: [ImageBinding] = []
  ) {
    self.result = result
    self.message = message
    self.applied = applied
    self.changed = changed
    self.failedObject = failedObject
    self.images = images
  }
}

/// One object a sync applied.
public struct AppliedObject: Sendable {
  public var key: ObjectKey
  /// What was applied (the desired object, at zero replicas where the environment sleeps).
  public var desired: JSONValue
  /// The object as the API returned it after the apply.
  public var live: JSONValue

  public init(key: ObjectKey, desired: JSONValue, live: JSONValue) {
    self.key = key
    self.desired = desired
    self.live = live
  }
}
