import Environments

/// A plan as data for `--output json|yaml`, CI summaries and the controller's status: one row per
/// object, no object bodies (Secrets never leave the engine this way).
public struct PlanSummary: Sendable, Codable, Equatable {
  public struct Row: Sendable, Codable, Equatable {
    /// `group/Kind:namespace/name`.
    public var key: String
    public var action: String
    public var phase: String
    public var wave: Int
    public var changedPaths: [String]?
    /// Fields taken over from other field managers.
    public var takenFields: [String]?
    public var note: String?
    public var source: String?
  }

  public var environment: String
  public var revision: String
  public var outOfSync: Bool
  public var counts: [String: Int]
  public var objects: [Row]
  /// Image references still waiting for their image.
  public var waitingForImages: [String]

  public init(_ plan: SyncPlan) {
    environment = plan.environment.name
    revision = plan.revision
    outOfSync = plan.isOutOfSync
    waitingForImages = plan.waitingForImages.map(\.reference)
    counts = Dictionary(uniqueKeysWithValues: plan.counts.map { ($0.key.rawValue, $0.value) })
    objects = (plan.objects + plan.prune + plan.skipped).map { object in
      Row(
        key: object.key.description, action: object.action.rawValue,
        phase: object.order.phase.rawValue, wave: object.order.wave,
        changedPaths: object.changedPaths.isEmpty ? nil : object.changedPaths,
        takenFields: object.takenFields.isEmpty ? nil : object.takenFields, note: object.note,
        source: object.source)
    }
  }
}
