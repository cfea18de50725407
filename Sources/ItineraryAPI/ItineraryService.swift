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
  /// With OPENAI_API_KEY the OpenAI planner is used, falling back to the local one (OPENAI_BASE_URL and
  /// OPENAI_MODEL override the endpoint and model). SERVICEBUS_CONNECTION_STRING is not used yet: the
  /// Service Bus queue is not implemented, so the PostgreSQL queue serves, and a warning says so.
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
    var planner: any ItineraryPlanner = LocalPlanner()
    if let key = source.value("OPENAI_API_KEY") {
      let openAI = OpenAIPlanner(
        apiKey: key,
        baseURL: source.string("OPENAI_BASE_URL", default: "https://api.openai.com/v1"),
        model: source.string("OPENAI_MODEL", default: "gpt-4o-mini"),
        timeoutSeconds: try source.integer(
          "AI_REQUEST_TIMEOUT_SECONDS", default: 30, range: 1...600),
        attempts: try source.integer("AI_RETRY_ATTEMPTS", default: 3, range: 1...10), logger: logger
      )
      planner = FallbackPlanner(primary: openAI, fallback: LocalPlanner(), logger: logger)
    }
    queue = PostgresJobQueue(database: environment.database, queue: queueName)
    worker = ItineraryWorker(
      queue: queue, database: environment.database, planner: planner, settings: workerSettings,
      logger: logger)
  }

  public func addRoutes(to router: Router<ServiceRequestContext>, environment: ServiceEnvironment) {
    ItineraryRoutes.add(to: router, environment: environment, queue: queue)
  }
}
