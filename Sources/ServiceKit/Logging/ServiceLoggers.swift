import JSONLogging
import Logging

/// The loggers of one service, each at the level its LOG_LEVEL_* variable sets: `application` for the
/// service's own messages (and Hummingbird's request logs), `database` for PostgreSQL and Redis clients,
/// `security` for authentication decisions, `root` for anything else.
public struct ServiceLoggers: Sendable {
  public let root: Logger
  public let application: Logger
  public let database: Logger
  public let security: Logger

  public init(
    serviceName: String, levels: ServiceConfiguration.LogLevels,
    sink: JSONLogHandler.Sink = .standardOutput
  ) {
    func make(_ label: String, _ level: Logger.Level) -> Logger {
      Logger(label: label) {
        JSONLogHandler(label: $0, service: serviceName, level: level, sink: sink)
      }
    }
    root = make("root", levels.root)
    application = make(serviceName, levels.application)
    database = make("\(serviceName).database", levels.database)
    security = make("\(serviceName).security", levels.security)
  }

  /// Makes every logger created with `Logger(label:)` in this process (by libraries) a JSON logger at
  /// the root level. Call once, from a service's `main`.
  public static func bootstrapProcess(serviceName: String, rootLevel: Logger.Level) {
    LoggingSystem.bootstrap { label in
      JSONLogHandler(label: label, service: serviceName, level: rootLevel)
    }
  }
}
