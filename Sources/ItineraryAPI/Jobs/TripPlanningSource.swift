import Foundation
import PostgresNIO
import ServiceKit

/// Reads what the planner needs from the shared database: the trip, its destination and its places.
struct TripPlanningSource: Sendable {
  struct Trip: Sendable {
    let id: Int64
    let ownerID: Int64
    let request: PlanningRequest
  }

  let database: Database

  /// The trip's owner; nil when the trip does not exist.
  func owner(tripID: Int64) async throws -> Int64? {
    try await database.rows("SELECT user_id FROM trips WHERE id = \(tripID)").first?.decode(
      Int64.self)
  }

  func trip(id: Int64) async throws -> Trip? {
    guard
      let row = try await database.rows(
        """
        SELECT t.user_id, (t.end_date - t.start_date) + 1, t.preferences::text, d.id, d.latitude,
               d.longitude
        FROM trips t JOIN destinations d ON d.id = t.destination_id WHERE t.id = \(id)
        """
      ).first
    else { return nil }
    let (owner, days, preferencesText, destination, latitude, longitude) = try row.decode(
      (Int64, Int, String, Int64, Double, Double).self)
    let preferences = try JSONCoding.value(JSONValue.self, from: preferencesText)
    let interests = preferences["interests"]?.arrayValue?.compactMap(\.stringValue) ?? []
    let pace = preferences["pace"]?.stringValue.flatMap(Pace.init(rawValue:)) ?? .normal
    let places = try await database.rows(
      """
      SELECT id, code, name, category, latitude, longitude, rating::float8,
             (extract(epoch FROM opens_at) / 60)::int, (extract(epoch FROM closes_at) / 60)::int,
             visit_minutes
      FROM places WHERE destination_id = \(destination) ORDER BY code
      """
    ).map { row in
      let (id, code, name, category, lat, lon, rating, opens, closes, visit) = try row.decode(
        (Int64, String, String, String, Double, Double, Double, Int, Int, Int).self)
      return PlannablePlace(
        id: id, code: code, name: name, category: category, latitude: lat, longitude: lon,
        rating: rating, opensAt: opens, closesAt: closes, visitMinutes: visit)
    }
    return Trip(
      id: id, ownerID: owner,
      request: PlanningRequest(
        days: days, centreLatitude: latitude, centreLongitude: longitude, interests: interests,
        pace: pace, places: places))
  }
}
