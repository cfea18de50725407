import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// What a service's routes need: configuration, loggers, the PostgreSQL and Redis pools, and the token
/// service. Made once at start-up by ``ServiceRuntime/make(configuration:loggers:)``.
public struct ServiceEnvironment: Sendable {
  public let configuration: ServiceConfiguration
  public let loggers: ServiceLoggers
  public let database: Database
  public let redis: RedisPool
  public let tokens: TokenService

  public init(configuration: ServiceConfiguration, loggers: ServiceLoggers) async {
    self.configuration = configuration
    self.loggers = loggers
    Telemetry.bootstrap()
    database = Database(configuration: configuration.database, logger: loggers.database)
    redis = RedisPool(configuration: configuration.redis)
    tokens = await TokenService(secret: configuration.jwtSecret)
  }
}

/// Builds a service's Hummingbird application: request ids, metrics, the actuator, JWT-protected API
/// routes, and the PostgreSQL client (plus any service of its own, such as a queue worker) run as
/// lifecycle services. `runService()` on the result handles SIGTERM/SIGINT gracefully: the server stops
/// accepting, finishes requests in flight, then the other services shut down.
public enum ServiceRuntime {
  /// Adds a service's routes and returns the lifecycle services it needs besides the server (a queue
  /// worker, say).
  public typealias Configure =
    @Sendable (Router<ServiceRequestContext>, ServiceEnvironment) throws ->
    [any Service]

  /// A router with the shared middleware (request ids, metrics, request logs) and the actuator.
  public static func router(environment: ServiceEnvironment) -> Router<ServiceRequestContext> {
    let router = Router(context: ServiceRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    ActuatorRoutes.add(
      to: router,
      checks: [.database(environment.database), .redis(environment.redis)])
    return router
  }

  /// The application: the router's server plus the PostgreSQL client, Redis shutdown and `services`.
  public static func application(
    router: Router<ServiceRequestContext>, environment: ServiceEnvironment,
    services: [any Service] = []
  ) -> some ApplicationProtocol {
    let configuration = environment.configuration
    return Application(
      router: router,
      configuration: .init(
        address: .hostname(configuration.host, port: configuration.port),
        serverName: configuration.serviceName),
      services: [environment.database.client, RedisShutdown(redis: environment.redis)] + services,
      logger: environment.loggers.application)
  }

  /// The entry point of a service executable: reads the configuration (logging the error and exiting
  /// with status 78, EX_CONFIG, when it is incomplete), applies the migrations, and runs until SIGTERM.
  public static func main(
    serviceName: String,
    migrations: [Migration] = [],
    configure: Configure
  ) async {
    // Before any thread allocates: see ProcessTuning.
    ProcessTuning.limitMallocArenas(to: 2, environment: ProcessInfo.processInfo.environment)
    let configuration: ServiceConfiguration
    do {
      configuration = try ServiceConfiguration(defaultServiceName: serviceName)
    } catch {
      let loggers = ServiceLoggers(
        serviceName: serviceName,
        levels: .init(root: .info, application: .info, database: .info, security: .info))
      loggers.root.critical("start-up stopped: \(error)")
      exit(78)
    }
    ProcessTuning.useEventLoopThreads(configuration.eventLoopThreads)
    ServiceLoggers.bootstrapProcess(
      serviceName: configuration.serviceName, rootLevel: configuration.logLevels.root)
    let loggers = ServiceLoggers(
      serviceName: configuration.serviceName, levels: configuration.logLevels)
    let environment = await ServiceEnvironment(configuration: configuration, loggers: loggers)
    let router = router(environment: environment)
    let services: [any Service]
    do {
      services = try configure(router, environment)
    } catch {
      loggers.root.critical("start-up stopped: \(error)")
      exit(78)
    }
    let app = application(
      router: router, environment: environment,
      services: [MigrationService(migrations: migrations, database: environment.database)]
        + services)
    do {
      try await app.runService()
    } catch {
      loggers.application.critical("service stopped: \(error)")
      exit(1)
    }
  }
}

/// Closes the Redis pool once the server has stopped (services shut down in reverse order).
struct RedisShutdown: Service {
  let redis: RedisPool

  func run() async throws {
    try? await gracefulShutdown()
    redis.close()
  }
}
