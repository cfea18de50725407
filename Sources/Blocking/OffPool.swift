import Foundation

/// Runs blocking work (file I/O, compression, libgit2, waiting for a subprocess) on a thread of its
/// own and resumes the caller with its result.
///
/// Why: Swift's cooperative pool has one thread per core, and an async function must never block
/// one. On the 2-core machines the toolkit runs on (CI runners, the cluster's small nodes) the pool
/// has two threads, so one blocking call stalls half the program: HTTP transfers, watches, timers
/// and every other task wait behind it, and two at once stall it all. A dedicated thread per call
/// costs a few tens of microseconds, nothing beside the work it carries, and never runs short as a
/// shared queue of worker threads can.
///
/// The thread gets 8 MiB of stack, the main thread's size, whatever the platform's default for new
/// threads is: the work may recurse as deeply as it would on the main thread (YAML and JSON
/// documents, directory trees).
///
/// Errors keep their type: `offPool { () throws(OCIError) in ... }` throws `OCIError`, and a body
/// that cannot throw makes a call that needs no `try`.
public func offPool<Value: Sendable, Failure: Error>(
  _ body: @escaping @Sendable () throws(Failure) -> Value
) async throws(Failure) -> Value {
  let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
    let thread = Thread {
      continuation.resume(returning: Result { () throws(Failure) in try body() })
    }
    thread.stackSize = 8 << 20
    thread.start()
  }
  return try result.get()
}
