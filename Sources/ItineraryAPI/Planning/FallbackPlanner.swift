import Logging

/// Tries `primary` (OpenAI) and, when it fails for any reason, plans with `fallback` (local): a job
/// never fails only because the model is unavailable or answered nonsense. A cancelled primary (the
/// worker stopping) is not replaced: the cancellation goes on to the worker.
public struct FallbackPlanner: ItineraryPlanner {
  let primary: any ItineraryPlanner
  let fallback: any ItineraryPlanner
  let logger: Logger

  public init(primary: any ItineraryPlanner, fallback: any ItineraryPlanner, logger: Logger) {
    self.primary = primary
    self.fallback = fallback
    self.logger = logger
  }

  public func plan(_ request: PlanningRequest) async throws -> PlannedItinerary {
    do {
      return try await primary.plan(request)
    } catch  where !Task.isCancelled {
      logger.warning("planning with the fallback planner", metadata: ["error": "\(error)"])
      return try await fallback.plan(request)
    }
  }
}
