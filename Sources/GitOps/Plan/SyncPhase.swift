/// When in a sync an object is applied: Argo CD's phases, which Helm's hook events map onto.
public enum SyncPhase: String, Sendable, Codable, CaseIterable, Comparable {
  /// Hooks that run before anything else is applied (`helm.sh/hook: pre-install,pre-upgrade`).
  case preSync = "PreSync"
  /// The environment's ordinary objects.
  case sync = "Sync"
  /// Hooks that run once every ordinary object is applied and healthy (`post-install,post-upgrade`).
  case postSync = "PostSync"

  private var rank: Int {
    switch self {
    case .preSync: return 0
    case .sync: return 1
    case .postSync: return 2
    }
  }

  public static func < (lhs: SyncPhase, rhs: SyncPhase) -> Bool { lhs.rank < rhs.rank }
}

/// When a hook object is deleted (`helm.sh/hook-delete-policy`, `argocd.argoproj.io/hook-delete-policy`).
public enum HookDeletePolicy: String, Sendable, Codable, CaseIterable {
  /// Delete the previous run's object before creating it again (Helm's default).
  case beforeHookCreation = "before-hook-creation"
  /// Delete it once it succeeded.
  case hookSucceeded = "hook-succeeded"
  /// Delete it once it failed.
  case hookFailed = "hook-failed"
}

/// What makes an object a hook: its phase and delete policies.
public struct HookSpec: Sendable, Equatable, Codable {
  public var phase: SyncPhase
  public var deletePolicies: Set<HookDeletePolicy>

  public init(phase: SyncPhase, deletePolicies: Set<HookDeletePolicy>) {
    self.phase = phase
    self.deletePolicies = deletePolicies
  }
}
