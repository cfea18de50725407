import Environments
import YAML

/// How a sync runs.
public struct SyncOptions: Sendable {
  /// Plan and dry-run everything against the server, write nothing.
  public var dryRun = false
  /// Delete objects that left the desired state; nil follows the environment's `syncPolicy.prune`.
  public var prune: Bool?
  /// Allow a prune of more than half of the environment's objects.
  public var allowMassPrune = false
  /// Also wait for the last wave to be healthy (earlier waves are always waited for).
  public var wait = false
  /// Seconds a wave (or a hook) may take to become healthy.
  public var timeout: Double = 300
  /// Seconds between health checks.
  public var pollInterval: Double = 1
  /// Retries of a failed sync; nil follows the environment's `syncPolicy.retry`.
  public var retry: SyncPolicy.Retry?
  /// Who or what started the sync, recorded in the history (`manual: ada@host`, `controller`,
  /// `rollback to #3`).
  public var trigger = "manual"
  /// Record the sync in the environment's history.
  public var recordHistory = true
  /// Take over objects that exist without the environment's tracking marks (see
  /// ``PlannedObject/untracked``); without it such a sync is refused before anything is written.
  public var adopt = false
  /// Asked before every write (apply, delete, inventory, history); a throw stops the sync as
  /// cancelled and nothing more is written, not even the history entry. The controller confirms
  /// it still holds the lease here, so a replica that lost it never writes after another took over.
  public var writeGate: (@Sendable () async throws -> Void)?

  public init() {}
}

/// What a sync reports while it runs, for progress lines and logs.
public enum SyncEvent: Sendable {
  /// The plan is computed.
  case planned(SyncPlan)
  /// A phase's wave starts.
  case waveStarted(phase: SyncPhase, wave: Int, objects: Int)
  /// An object was applied (created or updated); `takenFields` were owned by other managers.
  case applied(ObjectKey, action: PlannedAction, takenFields: [String])
  /// A hook's previous object was deleted before creating it again, or after it ran.
  case hookDeleted(ObjectKey)
  /// An object is not healthy yet.
  case waiting(ObjectKey, status: String, message: String?)
  /// An object became healthy (a hook: completed).
  case healthy(ObjectKey)
  /// A stale object was deleted.
  case pruned(ObjectKey)
  /// The inventory was written (before applying: old and new members; after: the new ones).
  case inventoryWritten(members: Int)
  /// A failed attempt is retried after `delay` seconds.
  case retrying(attempt: Int, delay: Double, error: String)
}

/// How a sync ended.
public struct SyncResult: Sendable {
  public enum Outcome: String, Sendable, Codable {
    /// Everything applied (and healthy, where waited for).
    case succeeded = "Succeeded"
    /// Nothing to do: the cluster already equals the desired state.
    case unchanged = "Unchanged"
    /// A dry run: nothing written.
    case dryRun = "DryRun"
  }

  public var outcome: Outcome
  public var plan: SyncPlan
  /// Objects written (created, updated, hooks), in order.
  public var applied: [ObjectKey]
  /// Objects deleted by prune.
  public var pruned: [ObjectKey]
  /// The history entry recorded, if any.
  public var historyID: Int?
  public var attempts: Int
  /// The objects the sync applied, as the server answered each apply (what it stores now): no
  /// caller needs to read them back.
  public var written: [ObjectKey: JSONValue] = [:]
}
