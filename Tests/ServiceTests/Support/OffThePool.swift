import ItineraryAPI

/// Runs `body` on a dispatch queue of its own instead of Swift's cooperative pool. The service tests
/// block pool threads while they start PostgreSQL and Redis or wait on psql and curl; a test that
/// measures timings (lock expiry, shutdown time) runs here so that those waits do not skew it.
func offThePool<T: Sendable>(_ body: () async throws -> T) async throws -> T {
  try await withTaskExecutorPreference(QueueTaskExecutor(label: "tripgen.tests.timed")) {
    try await body()
  }
}
