/// A component the service depends on, checked by the readiness probe.
public struct HealthCheck: Sendable {
  public let name: String
  public let check: @Sendable () async throws -> Void

  public init(name: String, check: @escaping @Sendable () async throws -> Void) {
    self.name = name
    self.check = check
  }

  /// PostgreSQL answers `SELECT 1`.
  public static func database(_ database: Database, timeout: Duration = .seconds(2)) -> HealthCheck
  {
    HealthCheck(name: "db") { try await database.ping(timeout: timeout) }
  }

  /// Redis answers PING.
  public static func redis(_ redis: RedisPool, timeout: Duration = .seconds(2)) -> HealthCheck {
    HealthCheck(name: "redis") { try await withTimeout(timeout) { try await redis.ping() } }
  }
}

/// Spring Boot Actuator's health document, which the probes and people read.
public struct HealthReport: Codable, Sendable, Equatable {
  public enum Status: String, Codable, Sendable {
    case up = "UP"
    case down = "DOWN"
  }

  public struct Component: Codable, Sendable, Equatable {
    public let status: Status
    public let error: String?
  }

  public let status: Status
  public let components: [String: Component]?

  /// Runs every check concurrently; the report is DOWN when any is.
  public static func run(_ checks: [HealthCheck]) async -> HealthReport {
    let components = await withTaskGroup(of: (String, Component).self) { group in
      for check in checks {
        group.addTask {
          do {
            try await check.check()
            return (check.name, Component(status: .up, error: nil))
          } catch {
            return (check.name, Component(status: .down, error: "\(error)"))
          }
        }
      }
      var result: [String: Component] = [:]
      for await (name, component) in group { result[name] = component }
      return result
    }
    let status: Status = components.values.allSatisfy { $0.status == .up } ? .up : .down
    return HealthReport(status: status, components: components)
  }
}
