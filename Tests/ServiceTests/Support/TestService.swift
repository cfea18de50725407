import Foundation
import Hummingbird
import HummingbirdTesting
import JSONLogging
import Logging
import ServiceKit
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

/// One service under test: its own database (from the shared server), its own Redis server, the
/// environment a service builds from the chart's variables, and the log lines it wrote.
final class TestService: Sendable {
  static let jwtSecret = "test-jwt-secret-that-is-long-enough-0123456789"
  static let samplePassword = "tripgen-dev-password"

  let databaseName: String
  let redis: RedisServer
  let environment: ServiceEnvironment
  private let lines = LogCapture()

  /// - Parameter variables: extra or overriding environment variables (CACHE_TTL_SECONDS, ...).
  init(
    name: String, variables: [String: String] = [:], postgresPort: Int? = nil,
    databaseName: String? = nil
  ) async throws {
    let backends = try Backends.get()
    self.databaseName = try databaseName ?? backends.freshDatabase()
    redis = try RedisServer()
    var environment = [
      "SERVICE_NAME": name,
      "DB_HOST": "127.0.0.1",
      "DB_PORT": String(postgresPort ?? backends.postgres.port),
      "DB_NAME": self.databaseName,
      "DB_USER": "postgres",
      "REDIS_HOST": "127.0.0.1",
      "REDIS_PORT": String(redis.port),
      "REDIS_PASSWORD": redis.password,
      "JWT_SECRET": Self.jwtSecret,
      "LOG_LEVEL_APPLICATION": "DEBUG",
      "LOG_LEVEL_SECURITY": "INFO",
    ]
    environment.merge(variables) { $1 }
    let configuration = try ServiceConfiguration(
      source: ConfigurationSource(environment: environment, secretsDirectory: "/nonexistent"),
      defaultServiceName: name)
    let captured = lines
    let loggers = ServiceLoggers(
      serviceName: name, levels: configuration.logLevels,
      sink: JSONLogHandler.Sink { line in captured.lines.withLock { $0.append(line) } })
    self.environment = await ServiceEnvironment(configuration: configuration, loggers: loggers)
  }

  /// The JSON log lines written so far.
  var logLines: [String] { lines.lines.withLock { $0 } }

  /// Runs `body` against the application in-process (Hummingbird's router test framework, which also
  /// runs the PostgreSQL client as a service).
  func test(
    services: [any ServiceLifecycle.Service] = [],
    routes: (Router<ServiceRequestContext>, ServiceEnvironment) throws -> Void,
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
  ) async throws {
    let router = ServiceRuntime.router(environment: environment)
    try routes(router, environment)
    let app = ServiceRuntime.application(
      router: router, environment: environment, services: services)
    try await app.test(.router, body)
  }

  /// For tests of the shared routes (actuator) or of parts without routes.
  static func noRoutes(_: Router<ServiceRequestContext>, _: ServiceEnvironment) {}

  /// An access token for the sample user `email`, signed as the user service signs.
  func token(userID: Int64, role: Role) async throws -> String {
    try await environment.tokens.issue(for: Identity(userID: userID, role: role)).accessToken
  }

  /// Runs SQL on this service's database (psql).
  func query(_ sql: String) throws -> [String] {
    try Backends.get().postgres.query(sql, database: databaseName)
  }

  /// The sample user's id.
  func userID(_ email: String) throws -> Int64 {
    try #require(Int64(try query("SELECT id FROM users WHERE email = '\(email)'").first ?? ""))
  }
}

/// The log lines a service wrote.
final class LogCapture: Sendable {
  let lines = Mutex<[String]>([])
}

extension ByteBuffer {
  /// Decodes the buffer as JSON.
  func json<T: Decodable>(_ type: T.Type) throws -> T {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(type, from: Data(String(buffer: self).utf8))
  }
}

/// A JSON request body.
func jsonBody(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

/// Headers with a bearer token and a JSON content type.
func headers(token: String? = nil) -> HTTPFields {
  var fields: HTTPFields = [.contentType: "application/json"]
  if let token { fields[.authorization] = "Bearer \(token)" }
  return fields
}
