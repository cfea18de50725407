import Foundation

/// A token bucket like client-go's default limiter: `queriesPerSecond` tokens a second, up to
/// `burst` saved. Each request takes one, waiting when none is left.
actor KubeRateLimiter {
  private let rate: Double
  private let burst: Double
  private var tokens: Double
  private var last: ContinuousClock.Instant
  private let clock = ContinuousClock()

  init(queriesPerSecond: Double, burst: Int) {
    rate = queriesPerSecond
    self.burst = Double(max(burst, 1))
    tokens = Double(max(burst, 1))
    last = clock.now
  }

  /// Takes a token, sleeping until one is available. A rate of zero or less means no limit.
  func acquire() async throws {
    guard rate > 0 else { return }
    let now = clock.now
    let elapsed = last.duration(to: now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    tokens = min(burst, tokens + seconds * rate)
    last = now
    // Reserve the token now (tokens may go negative) so concurrent callers queue in order.
    tokens -= 1
    if tokens < 0 {
      let wait = -tokens / rate
      try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
    }
  }
}
