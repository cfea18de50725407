import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle

/// Wires the AI service: its tables, the queue (PostgreSQL), the planner (local), the worker and routes.
public struct ItineraryService: Sendable {
  /// The tables the service creates at start-up (the chart's schema.sql has the rest).
  public static let migrations = [PostgresJobQueue.migration, ItineraryJobStore.migration]

  public let queue: any JobQueue
  public let worker: ItineraryWorker

  /// Reads AI_QUEUE_NAME, AI_RETRY_ATTEMPTS and AI_REQUEST_TIMEOUT_SECONDS.
  ///
  /// SERVICEBUS_CONNECTION_STRING and OPENAI_API_KEY are not used yet: the Service Bus queue and the
  /// OpenAI planner are not implemented, so the PostgreSQL queue and the local planner serve; a warning
  /// says so at start-up when either is set.
  public init(environment: ServiceEnvironment, settings: ItineraryWorker.Settings? = nil) throws {
    let source = environment.configuration.source
    let logger = environment.loggers.application
    let queueName = source.string("AI_QUEUE_NAME", default: "ai-schedule-generation")
    var workerSettings = settings ?? ItineraryWorker.Settings()
    if settings == nil {
      workerSettings.maximumAttempts = try source.integer(
        "AI_RETRY_ATTEMPTS", default: 3, range: 1...10)
      let timeout = try source.integer("AI_REQUEST_TIMEOUT_SECONDS", default: 30, range: 1...600)
      // The lease covers a whole attempt with its model call and retries.
      workerSettings.lease = .seconds(timeout * 4)
    }
    if source.value("SERVICEBUS_CONNECTION_STRING") != nil {
      logger.warning(
        "SERVICEBUS_CONNECTION_STRING is set but the Service Bus queue is not implemented; using the PostgreSQL queue"
      )
    }
    if source.value("OPENAI_API_KEY") != nil {
      logger.warning(
        "OPENAI_API_KEY is set but the OpenAI planner is not implemented; using the local planner")
    }
    queue = PostgresJobQueue(database: environment.database, queue: queueName)
    worker = ItineraryWorker(
      queue: queue, database: environment.database, planner: LocalPlanner(),
      settings: workerSettings, logger: logger)
  }

  public func addRoutes(to router: Router<ServiceRequestContext>, environment: ServiceEnvironment) {
    ItineraryRoutes.add(to: router, environment: environment, queue: queue)
  }
}
