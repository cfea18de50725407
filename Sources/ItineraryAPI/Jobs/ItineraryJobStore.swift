import Foundation
import PostgresNIO
import ServiceKit

/// The state of an itinerary job, as the client polls it.
public enum JobStatus: String, Codable, Sendable {
  case queued, running, succeeded, failed
}

/// A job as the API shows it; `days` once it succeeded.
public struct ItineraryJobResource: Codable, Sendable, Equatable {
  public let jobId: String
  public let tripId: Int64
  public let status: JobStatus
  public let attempts: Int
  public let planner: String?
  public let error: String?
  public let createdAt: Date
  public let updatedAt: Date
  public var days: [PlannedDay]?
}

/// The `itinerary_jobs` table: one row per generation request, which the worker updates.
struct ItineraryJobStore: Sendable {
  static let migration = Migration(
    name: "itinerary_jobs",
    statements: [
      """
      CREATE TABLE IF NOT EXISTS itinerary_jobs (
          id         UUID        PRIMARY KEY DEFAULT gen_random_uuid(),
          trip_id    BIGINT      NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
          user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          status     TEXT        NOT NULL DEFAULT 'queued',
          attempts   INTEGER     NOT NULL DEFAULT 0,
          planner    TEXT,
          error      TEXT,
          created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
          CONSTRAINT itinerary_jobs_status_valid
              CHECK (status IN ('queued', 'running', 'succeeded', 'failed'))
      )
      """,
      "CREATE INDEX IF NOT EXISTS itinerary_jobs_trip_idx ON itinerary_jobs (trip_id)",
    ])

  let database: Database

  func create(tripID: Int64, userID: Int64) async throws -> String {
    try await database.rows(
      """
      INSERT INTO itinerary_jobs (trip_id, user_id) VALUES (\(tripID), \(userID)) RETURNING id::text
      """
    )[0].decode(String.self)
  }

  /// The job and its owner; nil when unknown.
  func find(id: String) async throws -> (job: ItineraryJobResource, ownerID: Int64)? {
    guard UUID(uuidString: id) != nil else { return nil }
    return try await database.rows(
      """
      SELECT id::text, trip_id, status, attempts, planner, error, created_at, updated_at, user_id
      FROM itinerary_jobs WHERE id = \(id)::uuid
      """
    ).first.map { row in
      let (id, trip, status, attempts, planner, error, created, updated, owner) = try row.decode(
        (String, Int64, String, Int, String?, String?, Date, Date, Int64).self)
      return (
        ItineraryJobResource(
          jobId: id, tripId: trip, status: JobStatus(rawValue: status) ?? .failed,
          attempts: attempts, planner: planner, error: error, createdAt: created,
          updatedAt: updated, days: nil),
        owner
      )
    }
  }

  /// Marks a job running for another attempt; false when it already finished (a redelivery after
  /// success, which then needs no work).
  func start(id: String) async throws -> Bool {
    try await !database.rows(
      """
      UPDATE itinerary_jobs SET status = 'running', attempts = attempts + 1, updated_at = now()
      WHERE id = \(id)::uuid AND status IN ('queued', 'running') RETURNING id
      """
    ).isEmpty
  }

  /// Stores the itinerary as the trip's days and marks the job succeeded, in one transaction: a crash
  /// leaves either both or neither.
  func succeed(id: String, tripID: Int64, planner: String, days: [PlannedDay]) async throws {
    try await database.withTransaction { connection in
      try await connection.query(
        "DELETE FROM trip_days WHERE trip_id = \(tripID)", logger: database.logger)
      for day in days {
        let plan = try JSONCoding.text(day.stops)
        try await connection.query(
          """
          INSERT INTO trip_days (trip_id, day_number, plan) VALUES (\(tripID), \(day.dayNumber), \(plan)::jsonb)
          """, logger: database.logger)
      }
      try await connection.query(
        """
        UPDATE itinerary_jobs SET status = 'succeeded', planner = \(planner), error = NULL,
               updated_at = now()
        WHERE id = \(id)::uuid
        """, logger: database.logger)
    }
  }

  func fail(id: String, error: String) async throws {
    try await database.execute(
      """
      UPDATE itinerary_jobs SET status = 'failed', error = \(error), updated_at = now()
      WHERE id = \(id)::uuid AND status <> 'succeeded'
      """)
  }

  /// The trip's stored days, in the planner's shape.
  func days(tripID: Int64) async throws -> [PlannedDay] {
    try await database.rows(
      "SELECT day_number, plan::text FROM trip_days WHERE trip_id = \(tripID) ORDER BY day_number"
    ).map { row in
      let (day, plan) = try row.decode((Int, String).self)
      return PlannedDay(
        dayNumber: day, stops: try JSONCoding.value([PlannedStop].self, from: plan))
    }
  }
}
