import Environments
import Git
import YAML

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
  /// object as the server answered the apply (or as the plan read it, when unchanged).
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
  /// The object as the API stores it.
  public var live: JSONValue

  public init(key: ObjectKey, desired: JSONValue, live: JSONValue) {
    self.key = key
    self.desired = desired
    self.live = live
  }
}
