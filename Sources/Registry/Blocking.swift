import Foundation

/// Runs blocking work (reading a file, waiting for a helper program) on a thread of its own, so it
/// never occupies one of the few threads of Swift's cooperative pool.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
  await withCheckedContinuation { continuation in
    Thread { continuation.resume(returning: body()) }.start()
  }
}
