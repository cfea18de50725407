import Logging
import ServiceLifecycle

/// Applies a service's migrations at start-up, retrying while PostgreSQL is not reachable yet (pods
/// usually start before the database accepts connections), then idles until shutdown.
public struct MigrationService: Service {
  let migrations: [Migration]
  let database: Database

  public init(migrations: [Migration], database: Database) {
    self.migrations = migrations
    self.database = database
  }

  public func run() async throws {
    for migration in migrations {
      var delay = Duration.milliseconds(500)
      while true {
        do {
          try await migration.apply(to: database)
          database.logger.notice("migration applied", metadata: ["migration": "\(migration.name)"])
          break
        } catch {
          database.logger.error(
            "migration failed, retrying",
            metadata: ["migration": "\(migration.name)", "error": "\(String(reflecting: error))"])
          try await Task.sleep(for: delay)
          delay = min(delay * 2, .seconds(30))
        }
      }
    }
    try? await gracefulShutdown()
  }
}
