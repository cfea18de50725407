import Synchronization

/// Records how long each stage of a run took, in the order the stages finished.
final class StageClock: Sendable {
  private let timings = Mutex<[CIReport.Timing]>([])

  /// Runs `body` and records its duration under `stage` (also when it throws).
  func measure<T, E: Error>(_ stage: String, _ body: () async throws(E) -> T) async throws(E) -> T {
    let start = ContinuousClock.now
    defer { record(stage, since: start) }
    return try await body()
  }

  func record(_ stage: String, since start: ContinuousClock.Instant) {
    let elapsed = ContinuousClock.now - start
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    timings.withLock { $0.append(CIReport.Timing(stage: stage, seconds: seconds)) }
  }

  var all: [CIReport.Timing] { timings.withLock { $0 } }
}
