import Logging
import Metrics
import ServiceKit

/// Search results cached in Redis for CACHE_TTL_SECONDS, keyed by the normalised search. A Redis outage
/// degrades to uncached answers (counted as `error`), never to failed searches.
struct SearchCache: Sendable {
  enum Outcome: String { case hit, miss, error }

  let redis: RedisPool
  let ttlSeconds: Int
  let logger: Logger
  private let hits = Counter(
    label: "location_cache_requests_total", dimensions: [("result", "hit")])
  private let misses = Counter(
    label: "location_cache_requests_total", dimensions: [("result", "miss")])
  private let errors = Counter(
    label: "location_cache_requests_total", dimensions: [("result", "error")])

  init(redis: RedisPool, ttlSeconds: Int, logger: Logger) {
    self.redis = redis
    self.ttlSeconds = ttlSeconds
    self.logger = logger
  }

  /// The cached body for `key`, or the one `produce` makes (then stored); with whether it was a hit.
  func fetch(_ key: String, produce: () async throws -> [UInt8]) async throws -> (
    body: [UInt8], outcome: Outcome
  ) {
    do {
      if let cached = try await redis.get(key) {
        hits.increment()
        return (cached, .hit)
      }
    } catch {
      errors.increment()
      logger.warning("cache read failed", metadata: ["error": "\(error)"])
      return (try await produce(), .error)
    }
    misses.increment()
    let body = try await produce()
    do {
      try await redis.set(key, value: body, expirySeconds: ttlSeconds)
    } catch {
      logger.warning("cache write failed", metadata: ["error": "\(error)"])
    }
    return (body, .miss)
  }
}
