/// How the environment is kept equal to Git (Argo CD's `syncPolicy`, in its words).
public struct SyncPolicy: Sendable, Equatable, Codable {
  /// Sync every new revision without a human (the controller); manual syncs otherwise.
  public var automated: Bool
  /// Delete objects that left the desired state.
  public var prune: Bool
  /// Revert live changes (drift) made outside Git.
  public var selfHeal: Bool
  public var retry: Retry?

  public init(automated: Bool, prune: Bool, selfHeal: Bool, retry: Retry? = nil) {
    self.automated = automated
    self.prune = prune
    self.selfHeal = selfHeal
    self.retry = retry
  }

  /// Retries of a failed sync with exponential backoff.
  public struct Retry: Sendable, Equatable, Codable {
    /// How many retries after the first attempt.
    public var limit: Int
    public var backoff: Backoff?

    public init(limit: Int, backoff: Backoff? = nil) {
      self.limit = limit
      self.backoff = backoff
    }
  }

  /// `duration * factor^attempt`, capped at `maxDuration` (Go durations).
  public struct Backoff: Sendable, Equatable, Codable {
    public var duration: String
    public var factor: Double
    public var maxDuration: String

    public init(duration: String, factor: Double, maxDuration: String) {
      self.duration = duration
      self.factor = factor
      self.maxDuration = maxDuration
    }
  }
}

extension SyncPolicy.Retry {
  /// The wait before retry `attempt` (0 for the first retry), in seconds.
  public func delay(beforeRetry attempt: Int) throws(EnvironmentError) -> Double {
    let backoff = backoff ?? SyncPolicy.Backoff(duration: "5s", factor: 2, maxDuration: "3m")
    let base = try DurationSetting.seconds(
      backoff.duration, field: "syncPolicy.retry.backoff.duration")
    let cap = try DurationSetting.seconds(
      backoff.maxDuration, field: "syncPolicy.retry.backoff.maxDuration")
    var delay = base
    for _ in 0..<max(0, attempt) { delay *= backoff.factor }
    return min(delay, cap)
  }
}
