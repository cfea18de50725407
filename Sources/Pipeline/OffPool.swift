import Foundation

/// Runs blocking work (file system, libgit2, subprocesses) on a thread of its own, so that it never
/// holds one of the cooperative pool's few threads (2 on the CI machine).
func offPool<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E)
  -> T
{
  let result: Result<T, E> = await withCheckedContinuation { continuation in
    Thread.detachNewThread {
      do throws(E) {
        continuation.resume(returning: .success(try body()))
      } catch {
        continuation.resume(returning: .failure(error))
      }
    }
  }
  return try result.get()
}
