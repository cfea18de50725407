import Logging
import Metrics
import PostgresNIO
import Synchronization

/// The service's PostgreSQL pool: postgres-nio's `PostgresClient` (bounded by DB_POOL_MAX_CONNECTIONS),
/// with the number of leased connections exported as a gauge. The client is a lifecycle service: it
/// must run (``ServiceRuntime`` adds it to the application's services).
public final class Database: Sendable {
  /// The underlying client; run it as a service.
  public let client: PostgresClient
  public let logger: Logger
  private let leased = Atomic<Int>(0)
  private let leasedGauge: Gauge

  public init(configuration: ServiceConfiguration.Database, logger: Logger) {
    var options = PostgresClient.Configuration.Options()
    options.maximumConnections = configuration.maximumConnections
    options.minimumConnections = 0
    options.connectTimeout = .seconds(5)
    let clientConfiguration = PostgresClient.Configuration(
      host: configuration.host, port: configuration.port, username: configuration.user,
      password: configuration.password, database: configuration.name, tls: .disable)
    var withOptions = clientConfiguration
    withOptions.options = options
    client = PostgresClient(configuration: withOptions, backgroundLogger: logger)
    self.logger = logger
    Telemetry.bootstrap()
    Gauge(label: "db_pool_connections_max").record(configuration.maximumConnections)
    leasedGauge = Gauge(label: "db_pool_connections_leased")
  }

  /// Runs `body` with a pooled connection; waits when all are leased.
  public func withConnection<Result>(
    _ body: (PostgresConnection) async throws -> Result
  ) async throws -> Result {
    try await client.withConnection { connection in
      leasedGauge.record(leased.add(1, ordering: .relaxed).newValue)
      defer { leasedGauge.record(leased.subtract(1, ordering: .relaxed).newValue) }
      return try await body(connection)
    }
  }

  /// Runs `body` in a transaction (committed when it returns, rolled back when it throws).
  public func withTransaction<Result>(
    _ body: (PostgresConnection) async throws -> Result
  ) async throws -> Result {
    try await withConnection { connection in
      try await connection.query("BEGIN", logger: logger)
      do {
        let result = try await body(connection)
        try await connection.query("COMMIT", logger: logger)
        return result
      } catch {
        _ = try? await connection.query("ROLLBACK", logger: logger)
        throw error
      }
    }
  }

  /// Runs one query and collects its rows.
  public func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
    try await withConnection { connection in
      var rows: [PostgresRow] = []
      for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
      return rows
    }
  }

  /// Runs one statement and returns nothing.
  public func execute(_ query: PostgresQuery) async throws {
    _ = try await rows(query)
  }

  /// Checks that PostgreSQL answers `SELECT 1` within `timeout`.
  public func ping(timeout: Duration) async throws {
    try await withTimeout(timeout) { [self] in
      _ = try await rows("SELECT 1")
    }
  }
}
