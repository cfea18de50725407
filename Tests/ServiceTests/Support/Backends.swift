import Foundation
import TestSupport
import Testing

/// The PostgreSQL server the service tests share, started once for the ``ServiceTests`` suite by the
/// ``BackendsTrait`` and stopped after it. Each test gets its own database, copied from a template that
/// holds the chart's schema and sample data, so tests can run in parallel without seeing each other's
/// rows.
final class Backends: Sendable {
  @TaskLocal static var current: Backends?

  let postgres: PostgresServer
  static let template = "tripgen_template"

  /// The chart's SQL files (charts/tripgen/files/sql).
  static let sqlDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("charts/tripgen/files/sql")

  init() throws {
    postgres = try PostgresServer()
    try postgres.createDatabase(Self.template)
    try Self.loadChartSQL(into: postgres, database: Self.template)
  }

  /// Loads schema.sql and sample-data.sql as the data-initialisation Jobs do.
  static func loadChartSQL(into postgres: PostgresServer, database: String) throws {
    for file in ["schema.sql", "sample-data.sql"] {
      let result = try postgres.psql(
        database: database, arguments: ["-f", sqlDirectory.appendingPathComponent(file).path])
      guard result.succeeded else {
        throw PostgresServer.LaunchError.failed("\(file): \(result.standardError)")
      }
    }
  }

  /// The shared backends; fails the test when it runs outside the suite's trait.
  static func get() throws -> Backends {
    try #require(current, "run inside @Suite(.backends)")
  }

  /// A new database with the schema and sample data.
  func freshDatabase() throws -> String {
    let name =
      "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    let result = try postgres.psql(
      database: "postgres",
      arguments: ["-c", "CREATE DATABASE \(name) TEMPLATE \(Self.template)"])
    guard result.succeeded else { throw PostgresServer.LaunchError.failed(result.standardError) }
    return name
  }
}

/// Starts the shared PostgreSQL server around a suite and stops it afterwards.
struct BackendsTrait: SuiteTrait, TestScoping {
  var isRecursive: Bool { false }

  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    let backends = try Backends()
    defer { backends.postgres.stop() }
    try await Backends.$current.withValue(backends) { try await function() }
  }
}

extension Trait where Self == BackendsTrait {
  /// A shared PostgreSQL server with the chart's schema and sample data, for the whole suite.
  static var backends: Self { BackendsTrait() }
}
