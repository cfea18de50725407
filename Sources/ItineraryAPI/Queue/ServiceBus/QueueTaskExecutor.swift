import Dispatch

/// A task executor on a serial dispatch queue: tasks that prefer it run on the queue's thread rather
/// than on Swift's cooperative pool. Lock renewals use it, so that a pool busy with other work (or,
/// in tests, blocked by helpers that wait on processes) cannot delay a renewal past the lock's
/// expiry and get a message delivered twice.
public final class QueueTaskExecutor: TaskExecutor, @unchecked Sendable {
  /// The executor of Service Bus lock renewals.
  static let locks = QueueTaskExecutor(label: "tripgen.servicebus.locks")

  // `@unchecked Sendable`: the only state is the queue, which is thread-safe.
  private let queue: DispatchQueue

  /// - Parameter label: the dispatch queue's label (thread dumps show it).
  public init(label: String) {
    queue = DispatchQueue(label: label)
  }

  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}
