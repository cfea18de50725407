import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle

/// Wires the AI service: its tables, the queue (Service Bus when a connection string is configured,
/// PostgreSQL otherwise), the planner (local, or OpenAI with a local fallback), the worker and routes.
public struct ItineraryService: Sendable {
  /// The tables the service creates at start-up (the chart's schema.sql has the rest).
  public static let migrations = [PostgresJobQueue.migration, ItineraryJobStore.migration]

  public let queue: any JobQueue
  public let worker: ItineraryWorker

  /// Reads AI_QUEUE_NAME, AI_RETRY_ATTEMPTS, AI_REQUEST_TIMEOUT_SECONDS and
  /// AI_SHUTDOWN_GRACE_SECONDS.
  ///
  /// With SERVICEBUS_CONNECTION_STRING (or the `servicebus-connection` secret) the queue is the
  /// Service Bus queue of that name (AI_SERVICEBUS_LOCK_SECONDS, default 30, must match the queue's
  /// LockDuration); without it, the PostgreSQL queue. With OPENAI_API_KEY the OpenAI planner is
  /// used, falling back to the local one (OPENAI_BASE_URL and OPENAI_MODEL override the endpoint and
  /// model).
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
      workerSettings.shutdownGrace = .seconds(
        try source.integer("AI_SHUTDOWN_GRACE_SECONDS", default: 20, range: 0...600))
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
    if let connectionString = source.value("SERVICEBUS_CONNECTION_STRING") {
      var queueSettings = ServiceBusJobQueue.Settings()
      queueSettings.lockDuration = .seconds(
        try source.integer("AI_SERVICEBUS_LOCK_SECONDS", default: 30, range: 1...300))
      let serviceBus = try ServiceBusJobQueue(
        connection: try ServiceBusConnectionString(parsing: connectionString), queue: queueName,
        settings: queueSettings, logger: logger)
      logger.info(
        "job queue: Azure Service Bus",
        metadata: ["queue": "\(serviceBus.queue)", "endpoint": "\(serviceBus.entityURL)"])
      queue = serviceBus
    } else {
      queue = PostgresJobQueue(database: environment.database, queue: queueName)
    }
    worker = ItineraryWorker(
      queue: queue, database: environment.database, planner: planner, settings: workerSettings,
      logger: logger)
  }

  public func addRoutes(to router: Router<ServiceRequestContext>, environment: ServiceEnvironment) {
    ItineraryRoutes.add(to: router, environment: environment, queue: queue)
  }
}
