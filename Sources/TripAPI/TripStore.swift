import Foundation
import PostgresNIO
import ServiceKit

/// The `trips` and `trip_days` tables (charts/tripgen/files/sql/schema.sql).
struct TripStore: Sendable {
  let database: Database

  func destinationExists(_ id: Int64) async throws -> Bool {
    try await !database.rows("SELECT 1 FROM destinations WHERE id = \(id)").isEmpty
  }

  func insert(userID: Int64, destinationID: Int64, _ trip: TripValidation.Valid) async throws
    -> TripResource
  {
    let rows = try await database.rows(
      """
      INSERT INTO trips (user_id, destination_id, title, start_date, end_date, travellers, preferences)
      VALUES (\(userID), \(destinationID), \(trip.title), \(trip.startDate)::date, \(trip.endDate)::date,
              \(trip.travellers), \(trip.preferencesJSON)::jsonb)
      RETURNING id
      """)
    let id = try rows[0].decode(Int64.self)
    guard let created = try await find(id: id) else { throw TripStoreError.vanished(id) }
    return created
  }

  func list(userID: Int64, limit: Int, offset: Int) async throws -> [TripResource] {
    try await database.rows(
      """
      SELECT id, user_id, destination_id, title, to_char(start_date, 'YYYY-MM-DD'),
             to_char(end_date, 'YYYY-MM-DD'), travellers, preferences::text, created_at, updated_at
      FROM trips WHERE user_id = \(userID) ORDER BY start_date, id LIMIT \(limit) OFFSET \(offset)
      """
    ).map(Self.decode)
  }

  func find(id: Int64) async throws -> TripResource? {
    try await database.rows(
      """
      SELECT id, user_id, destination_id, title, to_char(start_date, 'YYYY-MM-DD'),
             to_char(end_date, 'YYYY-MM-DD'), travellers, preferences::text, created_at, updated_at
      FROM trips WHERE id = \(id)
      """
    ).first.map(Self.decode)
  }

  /// Replaces the trip's fields; days beyond a shortened trip are removed in the same transaction.
  func update(id: Int64, destinationID: Int64, _ trip: TripValidation.Valid) async throws {
    try await database.withTransaction { connection in
      try await connection.query(
        """
        UPDATE trips SET destination_id = \(destinationID), title = \(trip.title),
               start_date = \(trip.startDate)::date, end_date = \(trip.endDate)::date,
               travellers = \(trip.travellers), preferences = \(trip.preferencesJSON)::jsonb,
               updated_at = now()
        WHERE id = \(id)
        """, logger: database.logger)
      try await connection.query(
        """
        DELETE FROM trip_days d USING trips t
        WHERE d.trip_id = t.id AND t.id = \(id) AND d.day_number > (t.end_date - t.start_date) + 1
        """, logger: database.logger)
    }
  }

  func delete(id: Int64) async throws {
    try await database.execute("DELETE FROM trips WHERE id = \(id)")
  }

  func days(tripID: Int64) async throws -> [TripDayResource] {
    try await database.rows(
      """
      SELECT d.day_number, to_char(t.start_date + (d.day_number - 1), 'YYYY-MM-DD'), d.plan::text
      FROM trip_days d JOIN trips t ON t.id = d.trip_id
      WHERE d.trip_id = \(tripID) ORDER BY d.day_number
      """
    ).map { row in
      let (day, date, plan) = try row.decode((Int, String, String).self)
      return TripDayResource(
        dayNumber: day, date: date, plan: try JSONCoding.value(JSONValue.self, from: plan))
    }
  }

  func upsertDay(tripID: Int64, day: Int, planJSON: String) async throws {
    try await database.execute(
      """
      INSERT INTO trip_days (trip_id, day_number, plan) VALUES (\(tripID), \(day), \(planJSON)::jsonb)
      ON CONFLICT (trip_id, day_number) DO UPDATE SET plan = EXCLUDED.plan
      """)
  }

  /// Whether a day existed and was removed.
  func deleteDay(tripID: Int64, day: Int) async throws -> Bool {
    try await !database.rows(
      "DELETE FROM trip_days WHERE trip_id = \(tripID) AND day_number = \(day) RETURNING day_number"
    ).isEmpty
  }

  private static func decode(_ row: PostgresRow) throws -> TripResource {
    let (id, user, destination, title, start, end, travellers, preferences, created, updated) =
      try row.decode((Int64, Int64, Int64, String, String, String, Int, String, Date, Date).self)
    return TripResource(
      id: id, userId: user, destinationId: destination, title: title, startDate: start,
      endDate: end, travellers: travellers,
      preferences: try JSONCoding.value(JSONValue.self, from: preferences), createdAt: created,
      updatedAt: updated)
  }
}

enum TripStoreError: Error, CustomStringConvertible {
  case vanished(Int64)
  var description: String {
    switch self {
    case .vanished(let id): return "trip \(id) was deleted while it was being created"
    }
  }
}
