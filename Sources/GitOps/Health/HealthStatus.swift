/// How healthy one object (or a set of objects) is, with Argo CD's vocabulary so that people who know
/// `argocd app get` read our status the same way.
public enum HealthStatus: String, Sendable, Codable, CaseIterable {
  /// The object reached the state its spec asks for.
  case healthy = "Healthy"
  /// Not there yet, but still on its way (a rollout, a pending claim, a running Job).
  case progressing = "Progressing"
  /// Failed, or cannot reach its desired state without someone acting (crash loop, failed Job).
  case degraded = "Degraded"
  /// Paused on purpose: a paused Deployment, a suspended Job or CronJob.
  case suspended = "Suspended"
  /// Desired but absent from the cluster (set by the caller, who knows what should exist).
  case missing = "Missing"
  /// The object's status could not be assessed.
  case unknown = "Unknown"

  /// Rank from most to least healthy, gitops-engine's `healthOrder`:
  /// Healthy < Suspended < Progressing < Missing < Degraded < Unknown.
  public var severity: Int {
    switch self {
    case .healthy: return 0
    case .suspended: return 1
    case .progressing: return 2
    case .missing: return 3
    case .degraded: return 4
    case .unknown: return 5
    }
  }

  /// Whether `self` is a worse condition than `other` (gitops-engine's `IsWorse(other, self)`).
  public func isWorse(than other: HealthStatus) -> Bool { severity > other.severity }
}
