import Foundation

/// Runs blocking work (file I/O, compression, waiting for a subprocess) on a thread of its own, so it
/// never occupies one of the few threads of Swift's cooperative pool.
func runOffPool<T: Sendable>(_ body: @escaping @Sendable () throws(OCIError) -> T)
  async throws(OCIError)
  -> T
{
  let result: Result<T, OCIError> = await withCheckedContinuation { continuation in
    let thread = Thread {
      continuation.resume(returning: Result { () throws(OCIError) in try body() })
    }
    thread.stackSize = 8 << 20
    thread.start()
  }
  return try result.get()
}
