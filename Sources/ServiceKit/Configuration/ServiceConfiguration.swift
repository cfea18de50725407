import Logging

/// The settings every TripGen service reads at start-up (the chart's env vars, see
/// charts/tripgen/values.yaml), with defaults for a local run against PostgreSQL and Redis on 127.0.0.1.
public struct ServiceConfiguration: Sendable {
  /// PostgreSQL connection settings.
  public struct Database: Sendable {
    public var host: String
    public var port: Int
    public var name: String
    public var user: String
    public var password: String?
    /// The most connections the pool opens; the chart's PostgreSQL allows 100 for all services together.
    public var maximumConnections: Int
  }

  /// Redis connection settings.
  public struct Redis: Sendable {
    public var host: String
    public var port: Int
    public var password: String?
    /// The most connections (each with its own thread) the pool opens.
    public var maximumConnections: Int
  }

  /// Log levels per logger, from LOG_LEVEL_ROOT/APPLICATION/DATABASE/SECURITY.
  public struct LogLevels: Sendable, Equatable {
    public var root: Logger.Level
    public var application: Logger.Level
    public var database: Logger.Level
    public var security: Logger.Level

    public init(
      root: Logger.Level, application: Logger.Level, database: Logger.Level, security: Logger.Level
    ) {
      self.root = root
      self.application = application
      self.database = database
      self.security = security
    }
  }

  public var serviceName: String
  public var host: String
  public var port: Int
  public var database: Database
  public var redis: Redis
  public var jwtSecret: String
  public var logLevels: LogLevels
  /// NIO event loop threads (EVENT_LOOP_THREADS, default 1; see ``ProcessTuning``).
  public var eventLoopThreads: Int
  /// The source, for settings only one service reads (AI_QUEUE_NAME, CACHE_TTL_SECONDS, ...).
  public var source: ConfigurationSource

  /// The shortest JWT_SECRET accepted: HS256 wants a key at least as long as its 32-byte output.
  public static let minimumJWTSecretLength = 32

  /// Reads the configuration; throws naming the first missing or invalid setting.
  public init(source: ConfigurationSource = ConfigurationSource(), defaultServiceName: String)
    throws(ConfigurationError)
  {
    self.source = source
    serviceName = source.string("SERVICE_NAME", default: defaultServiceName)
    host = source.string("HOST", default: "0.0.0.0")
    port = try source.integer("PORT", default: 8080, range: 1...65535)
    database = Database(
      host: source.string("DB_HOST", default: "127.0.0.1"),
      port: try source.integer("DB_PORT", default: 5432, range: 1...65535),
      name: source.string("DB_NAME", default: "tripgen"),
      user: source.string("DB_USER", default: "postgres"),
      password: source.value("DB_PASSWORD"),
      maximumConnections: try source.integer("DB_POOL_MAX_CONNECTIONS", default: 10, range: 1...100)
    )
    redis = Redis(
      host: source.string("REDIS_HOST", default: "127.0.0.1"),
      port: try source.integer("REDIS_PORT", default: 6379, range: 1...65535),
      password: source.value("REDIS_PASSWORD"),
      maximumConnections: try source.integer(
        "REDIS_POOL_MAX_CONNECTIONS", default: 4, range: 1...64))
    jwtSecret = try source.required("JWT_SECRET")
    guard jwtSecret.utf8.count >= Self.minimumJWTSecretLength else {
      throw .weakSecret(name: "JWT_SECRET", minimumLength: Self.minimumJWTSecretLength)
    }
    eventLoopThreads = try source.integer("EVENT_LOOP_THREADS", default: 1, range: 1...64)
    logLevels = LogLevels(
      root: try Self.level(source, "LOG_LEVEL_ROOT", default: .info),
      application: try Self.level(source, "LOG_LEVEL_APPLICATION", default: .debug),
      database: try Self.level(source, "LOG_LEVEL_DATABASE", default: .warning),
      security: try Self.level(source, "LOG_LEVEL_SECURITY", default: .info))
  }

  /// Reads a level in the chart's spelling (Spring's: TRACE, DEBUG, INFO, WARN, ERROR, OFF) or swift-log's.
  static func level(
    _ source: ConfigurationSource, _ name: String, default defaultLevel: Logger.Level
  )
    throws(ConfigurationError) -> Logger.Level
  {
    guard let text = source.value(name) else { return defaultLevel }
    switch text.lowercased() {
    case "trace": return .trace
    case "debug": return .debug
    case "info": return .info
    case "notice": return .notice
    case "warn", "warning": return .warning
    case "error": return .error
    case "critical", "fatal", "off": return .critical
    default:
      throw .invalid(
        name: name, value: text, expected: "one of TRACE, DEBUG, INFO, WARN, ERROR, OFF")
    }
  }
}
