import Blocking
import Foundation
import Testing

@Suite struct OffPoolTests {
  struct Refusal: Error, Equatable {
    let reason: String
  }

  @Test func returnsTheBodysValue() async {
    let value = await offPool { (1...10).reduce(0, +) }
    #expect(value == 55)
  }

  /// The error keeps its type: the `catch` below gets a `Refusal`, not `any Error`.
  @Test func throwsTheBodysTypedError() async {
    do throws(Refusal) {
      _ = try await offPool { () throws(Refusal) -> Int in throw Refusal(reason: "no") }
      Issue.record("the error was not thrown")
    } catch {
      #expect(error == Refusal(reason: "no"))
    }
  }

  /// More bodies than the cooperative pool has threads all block at once, each waiting for all the
  /// others: on the pool, the ones beyond its width could not start and the wait would time out.
  @Test func blockingBodiesDoNotHoldTheCooperativePool() async {
    let count = ProcessInfo.processInfo.activeProcessorCount + 2
    let barrier = Barrier(count: count)
    let arrivals = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<count {
        group.addTask { await offPool { barrier.arriveAndWait(timeout: 10) } }
      }
      return await group.reduce(into: 0) { total, arrived in total += arrived ? 1 : 0 }
    }
    #expect(arrivals == count)
  }

  /// Blocks each caller until `count` have arrived, or until the timeout.
  final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private var arrived = 0

    init(count: Int) { self.count = count }

    func arriveAndWait(timeout seconds: TimeInterval) -> Bool {
      condition.lock()
      defer { condition.unlock() }
      arrived += 1
      condition.broadcast()
      let deadline = Date(timeIntervalSinceNow: seconds)
      while arrived < count {
        if !condition.wait(until: deadline) { return false }
      }
      return true
    }
  }
}
