import Synchronization

/// Keeps Service Bus message locks for as long as a lease asks, by renewing them at half the
/// queue's LockDuration, and runs a follow-up (an unlock) when the lease ends. One task per held
/// lock, ended by ``release(_:)`` when the message is completed or abandoned; the tasks run on
/// ``QueueTaskExecutor/locks``, not on the cooperative pool.
final class LockKeeper: Sendable {
  let lockDuration: Duration
  private let tasks = Mutex<[String: Task<Void, Never>]>([:])

  init(lockDuration: Duration) {
    self.lockDuration = lockDuration
  }

  /// Holds the lock `token`, taken just now, for `lease`: renews it with `renew` while it would
  /// expire first, then runs `then`. Nothing is started when the lock outlasts the lease and there
  /// is nothing to run after it.
  func hold(
    _ token: String, for lease: Duration, renew: @escaping @Sendable () async -> Bool,
    then: (@Sendable () async -> Void)? = nil
  ) {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + lease
    if then == nil && lease <= lockDuration { return }
    let lockDuration = self.lockDuration
    // Made under the lock, so that the task's own `forget` cannot run before it is recorded.
    tasks.withLock { tasks in
      tasks[token] = Task(executorPreference: QueueTaskExecutor.locks) { [weak self] in
        var lockedUntil = start + lockDuration
        do {
          while lockedUntil < deadline {
            try await Task.sleep(until: lockedUntil - lockDuration / 2, clock: clock)
            guard await renew() else {
              self?.forget(token)
              return
            }
            lockedUntil = clock.now + lockDuration
          }
          try await Task.sleep(until: deadline, clock: clock)
        } catch {
          return  // released: the message was completed or abandoned meanwhile
        }
        self?.forget(token)
        await then?()
      }
    }
  }

  /// Stops holding `token` (its renewals and any follow-up).
  func release(_ token: String) {
    tasks.withLock { $0.removeValue(forKey: token) }?.cancel()
  }

  /// How many locks are being held, for tests.
  var heldCount: Int { tasks.withLock { $0.count } }

  private func forget(_ token: String) {
    _ = tasks.withLock { $0.removeValue(forKey: token) }
  }
}
