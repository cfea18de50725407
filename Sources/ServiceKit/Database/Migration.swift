import PostgresNIO

/// A service's own tables (beyond the chart's schema.sql), created at start-up. Statements must be
/// idempotent (`CREATE ... IF NOT EXISTS`), since every replica runs them on every start.
public struct Migration: Sendable {
  public let name: String
  public let statements: [String]

  public init(name: String, statements: [String]) {
    self.name = name
    self.statements = statements
  }

  /// Runs the statements in one transaction, under an advisory lock so that replicas starting together
  /// do not race on the catalog.
  public func apply(to database: Database) async throws {
    try await database.withTransaction { connection in
      try await connection.query(
        "SELECT pg_advisory_xact_lock(hashtext(\(name)))", logger: database.logger)
      for statement in statements {
        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: database.logger)
      }
    }
  }
}
