import Foundation
import TestSupport
import Testing

/// The data-initialisation SQL in charts/tripgen/files/sql, run the way the hook Jobs run it (psql with
/// ON_ERROR_STOP) against a real PostgreSQL server.
@Suite(.serialized) struct DataInitSQLTests {
  static let scripts = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("charts/tripgen/files/sql")

  let server: PostgresServer

  init() throws {
    server = try PostgresServer()
    try server.createDatabase("tripgen")
  }

  private func run(_ script: String) throws -> Command.Result {
    try server.psql(
      database: "tripgen", arguments: ["-f", Self.scripts.appendingPathComponent(script).path])
  }

  private func count(_ sql: String) throws -> Int {
    let rows = try server.query(sql, database: "tripgen")
    return Int(rows.first ?? "") ?? -1
  }

  private func loadAll() throws {
    for script in ["schema.sql", "sample-data.sql", "validate.sql"] {
      let result = try run(script)
      #expect(result.succeeded, "\(script): \(result.standardError)")
    }
  }

  @Test func sampleDataHasTheDesignDocumentsCounts() throws {
    try loadAll()
    #expect(try count("SELECT count(*) FROM users") == 10)
    #expect(try count("SELECT count(DISTINCT role) FROM users") >= 3)
    #expect(try count("SELECT count(*) FROM destinations WHERE is_domestic") == 50)
    #expect(try count("SELECT count(*) FROM destinations WHERE NOT is_domestic") == 50)
    #expect(try count("SELECT count(*) FROM places") == 500)
    #expect(try count("SELECT count(DISTINCT category) FROM places") == 8)
    #expect(try count("SELECT count(*) FROM itinerary_templates") == 20)
  }

  @Test func runningEveryScriptTwiceChangesNothing() throws {
    try loadAll()
    let fingerprint = """
      SELECT md5(string_agg(t, ',' ORDER BY t)) FROM (
        SELECT email || role || password_hash AS t FROM users
        UNION ALL SELECT code || name || latitude || longitude FROM destinations
        UNION ALL SELECT code || name || category || rating || opens_at FROM places
        UNION ALL SELECT code || title || plan::text FROM itinerary_templates) rows
      """
    let before = try server.query(fingerprint, database: "tripgen")
    try loadAll()
    #expect(try server.query(fingerprint, database: "tripgen") == before)
    #expect(try count("SELECT count(*) FROM places") == 500)
  }

  @Test func validationFailsOnABrokenRow() throws {
    try loadAll()
    _ = try server.query(
      "UPDATE places SET closes_at = '08:00' WHERE code = 'KR-SEL-P1'", database: "tripgen")
    let result = try run("validate.sql")
    #expect(!result.succeeded)
    #expect(result.standardError.contains("1 places close before they open"))
  }

  @Test func validationFailsWhenSampleDataIsMissing() throws {
    #expect(try run("schema.sql").succeeded)
    let result = try run("validate.sql")
    #expect(!result.succeeded)
    #expect(result.standardError.contains("expected 10 sample users, found 0"))
  }

  @Test func constraintsRejectAnInvalidTrip() throws {
    try loadAll()
    let result = try server.psql(
      database: "tripgen",
      arguments: [
        "-c",
        """
        INSERT INTO trips (user_id, destination_id, title, start_date, end_date)
        SELECT u.id, d.id, 'backwards', DATE '2026-05-10', DATE '2026-05-01'
        FROM users u, destinations d LIMIT 1
        """,
      ])
    #expect(!result.succeeded)
    #expect(result.standardError.contains("trips_dates_ordered"))
  }
}
