import Environments
import YAML

/// What a sync does to one object.
public enum PlannedAction: String, Sendable, Codable {
  /// Absent from the cluster: created.
  case create
  /// Present and different (after the server applied our fields in a dry run): applied.
  case update
  /// Present and equal: not written.
  case unchanged
  /// A hook: created (after deleting the previous run's) and waited for, on every sync that changes
  /// something.
  case runHook = "run-hook"
  /// In the previous inventory, no longer desired, still ours: deleted after the last wave.
  case prune
  /// Left out of the sync: a hook for an event a sync never fires, or a stale object that is no
  /// longer ours (its tracking id names another object) or prune is off.
  case skip
}

/// One object of a plan.
public struct PlannedObject: Sendable {
  public var key: ObjectKey
  public var action: PlannedAction
  public var order: SyncOrder
  /// Set for hooks.
  public var hook: HookSpec?
  /// The rendered object (nil for prune).
  public var desired: JSONValue?
  /// The object as the cluster has it now (nil when absent).
  public var live: JSONValue?
  /// The object as the server would store it after our apply (the dry run's answer); nil for
  /// hooks, prunes, and objects that could not be dry-run because their namespace is created in the
  /// same sync.
  public var predicted: JSONValue?
  /// The template the object came from.
  public var source: String?
  /// JSON paths that differ between live and predicted (`spec.replicas`), for updates.
  public var changedPaths: [String]
  /// Fields another field manager owns that the apply takes over (`.spec.replicas` of
  /// `kubectl-edit`), from the server's conflict answer.
  public var takenFields: [String]
  /// Why the object is skipped, or what to know before applying it.
  public var note: String?
  /// The object exists in the cluster without this environment's tracking marks: applying it
  /// takes it over, which a sync does only when asked (``SyncOptions/adopt``) or when the object
  /// is annotated `tripgen.io/adopt: "true"` (in Git or in the cluster).
  public var untracked = false

  public init(
    key: ObjectKey, action: PlannedAction, order: SyncOrder, hook: HookSpec? = nil,
    desired: JSONValue? = nil, live: JSONValue? = nil, predicted: JSONValue? = nil,
    source: String? = nil, changedPaths: [String] = [], takenFields: [String] = [],
    note: String? = nil
  ) {
    self.key = key
    self.action = action
    self.order = order
    self.hook = hook
    self.desired = desired
    self.live = live
    self.predicted = predicted
    self.source = source
    self.changedPaths = changedPaths
    self.takenFields = takenFields
    self.note = note
  }
}

/// Everything a sync of one revision would do, in order, computed against the live cluster without
/// writing to it.
public struct SyncPlan: Sendable {
  public var environment: Environment
  public var revision: String
  public var images: [ImageBinding]
  /// Hooks and resources in sync order (phase, wave, kind, name).
  public var objects: [PlannedObject]
  /// Objects to delete (or, with prune off, left in place), in reverse sync order.
  public var prune: [PlannedObject]
  /// The objects the previous sync left in the inventory.
  public var previousInventory: Set<ObjectKey>
  /// Objects not applied at all (hooks for other events).
  public var skipped: [PlannedObject]
  /// Whether prune is on for this plan.
  public var pruneEnabled: Bool
  /// Images the objects need that have no digest yet (a sync refuses to start while any is).
  public var waitingForImages: [ImageBinding]
  /// How live and predicted objects were compared (the environment's ignore rules).
  public var normalizer: LiveObjectNormalizer
  /// The environment's sleep marker; while it says asleep, Deployments are planned at zero
  /// replicas (``SleepAdjustment``).
  public var sleep: SleepState? = nil
  /// The last sync wrote and did not finish (failed, cancelled, or never recorded): this sync
  /// runs the hooks and waits for every object's health even when nothing differs.
  public var lastSyncIncomplete = false

  /// Whether the environment sleeps.
  public var asleep: Bool { sleep?.asleep ?? false }

  /// Objects that exist without our tracking marks and that a sync would take over.
  public var untracked: [PlannedObject] { objects.filter(\.untracked) }

  /// The diff of one object of the plan, Secrets masked: live against the server's dry-run answer
  /// for an update, nothing against the rendered object for a create, the live object against
  /// nothing for a prune.
  public func diff(_ object: PlannedObject) -> ObjectDiff {
    switch object.action {
    case .prune,
      .skip where object.hook == nil && object.desired == nil:
      return .normalizing(desired: nil, live: object.live, with: normalizer)
    case .create:
      return .normalizing(desired: object.predicted ?? object.desired, live: nil, with: normalizer)
    default:
      return .normalizing(
        desired: object.predicted ?? object.desired, live: object.live, with: normalizer)
    }
  }

  /// Whether applying the plan writes anything (hooks run only when something else changes, or
  /// when the last sync did not finish).
  public var hasChanges: Bool {
    lastSyncIncomplete
      || objects.contains { $0.action == .create || $0.action == .update }
      || prune.contains { $0.action == .prune }
  }

  /// Whether the cluster differs from the desired state (what `tripgen diff` reports): a change to
  /// apply, or a stale object still in the cluster, pruned or not.
  public var isOutOfSync: Bool {
    objects.contains { $0.action == .create || $0.action == .update } || !prune.isEmpty
  }

  /// The resources and hooks grouped by phase and wave, in order.
  public var waves: [(phase: SyncPhase, wave: Int, objects: [PlannedObject])] {
    var result: [(phase: SyncPhase, wave: Int, objects: [PlannedObject])] = []
    for object in objects {
      if let last = result.last, last.phase == object.order.phase, last.wave == object.order.wave {
        result[result.count - 1].objects.append(object)
      } else {
        result.append((object.order.phase, object.order.wave, [object]))
      }
    }
    return result
  }

  /// How many objects take each action.
  public var counts: [PlannedAction: Int] {
    var counts: [PlannedAction: Int] = [:]
    for object in objects + prune + skipped { counts[object.action, default: 0] += 1 }
    return counts
  }

  /// The inventory after the plan is applied: every desired resource, plus stale objects that stay
  /// (prune off, or not deleted) so that a later prune still finds them.
  public var nextInventory: Set<ObjectKey> {
    var keys = Set(objects.filter { $0.hook == nil }.map(\.key))
    for stale in prune
    where stale.action == .skip && stale.live != nil
      && stale.note != PlanNotes.notOurs
    {
      keys.insert(stale.key)
    }
    return keys
  }
}

/// Notes the planner attaches to skipped objects.
enum PlanNotes {
  static let notOurs = "not ours: its tracking id names another object; left alone"
  static let pruneOff = "no longer desired; prune is off (sync with --prune to delete it)"
  static let untracked =
    "exists without this environment's tracking marks: sync with --adopt (or annotate it tripgen.io/adopt=true) to take it over"
}
