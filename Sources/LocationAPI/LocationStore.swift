import PostgresNIO
import ServiceKit

/// Reads `destinations` and `places` (charts/tripgen/files/sql/schema.sql). Distances are great-circle
/// (haversine, Earth radius 6371 km), computed in SQL so filtering by radius happens in the database.
struct LocationStore: Sendable {
  let database: Database

  func destinations(_ search: LocationSearch) async throws -> [DestinationResource] {
    try await database.rows(
      """
      SELECT * FROM (
        SELECT id, code, name, country, region, is_domestic, latitude, longitude, description,
               CASE WHEN \(search.latitude)::float8 IS NULL THEN NULL ELSE
                 6371 * 2 * asin(sqrt(power(sin(radians(latitude - \(search.latitude)::float8) / 2), 2)
                   + cos(radians(\(search.latitude)::float8)) * cos(radians(latitude))
                   * power(sin(radians(longitude - \(search.longitude)::float8) / 2), 2)))
               END AS distance_km
        FROM destinations
        WHERE (\(search.text)::text IS NULL OR strpos(lower(name), lower(\(search.text)::text)) > 0)
          AND (\(search.country)::text IS NULL OR lower(country) = lower(\(search.country)::text))
          AND (\(search.domestic)::bool IS NULL OR is_domestic = \(search.domestic)::bool)
      ) found
      WHERE \(search.radiusKm)::float8 IS NULL OR distance_km <= \(search.radiusKm)::float8
      ORDER BY distance_km NULLS LAST, name, id
      LIMIT \(search.limit) OFFSET \(search.offset)
      """
    ).map(Self.destination)
  }

  func destination(id: Int64) async throws -> DestinationResource? {
    try await database.rows(
      """
      SELECT id, code, name, country, region, is_domestic, latitude, longitude, description,
             NULL::float8
      FROM destinations WHERE id = \(id)
      """
    ).first.map(Self.destination)
  }

  func places(_ search: LocationSearch) async throws -> [PlaceResource] {
    try await database.rows(
      """
      SELECT * FROM (
        SELECT id, destination_id, code, name, category, latitude, longitude, rating::float8,
               to_char(opens_at, 'HH24:MI'), to_char(closes_at, 'HH24:MI'), visit_minutes,
               CASE WHEN \(search.latitude)::float8 IS NULL THEN NULL ELSE
                 6371 * 2 * asin(sqrt(power(sin(radians(latitude - \(search.latitude)::float8) / 2), 2)
                   + cos(radians(\(search.latitude)::float8)) * cos(radians(latitude))
                   * power(sin(radians(longitude - \(search.longitude)::float8) / 2), 2)))
               END AS distance_km
        FROM places
        WHERE (\(search.text)::text IS NULL OR strpos(lower(name), lower(\(search.text)::text)) > 0)
          AND (\(search.category?.rawValue)::text IS NULL OR category = \(search.category?.rawValue)::text)
          AND (\(search.destinationID)::int8 IS NULL OR destination_id = \(search.destinationID)::int8)
      ) found
      WHERE \(search.radiusKm)::float8 IS NULL OR distance_km <= \(search.radiusKm)::float8
      ORDER BY distance_km NULLS LAST, name, id
      LIMIT \(search.limit) OFFSET \(search.offset)
      """
    ).map(Self.place)
  }

  func place(id: Int64) async throws -> PlaceResource? {
    try await database.rows(
      """
      SELECT id, destination_id, code, name, category, latitude, longitude, rating::float8,
             to_char(opens_at, 'HH24:MI'), to_char(closes_at, 'HH24:MI'), visit_minutes, NULL::float8
      FROM places WHERE id = \(id)
      """
    ).first.map(Self.place)
  }

  private static func destination(_ row: PostgresRow) throws -> DestinationResource {
    let (id, code, name, country, region, domestic, latitude, longitude, description, distance) =
      try row.decode(
        (Int64, String, String, String, String, Bool, Double, Double, String, Double?).self)
    return DestinationResource(
      id: id, code: code, name: name, country: country, region: region, isDomestic: domestic,
      latitude: latitude, longitude: longitude, description: description, distanceKm: distance)
  }

  private static func place(_ row: PostgresRow) throws -> PlaceResource {
    let (
      id, destination, code, name, category, latitude, longitude, rating, opens, closes, visit,
      distance
    ) = try row.decode(
      (Int64, Int64, String, String, String, Double, Double, Double, String, String, Int, Double?)
        .self)
    return PlaceResource(
      id: id, destinationId: destination, code: code, name: name, category: category,
      latitude: latitude, longitude: longitude, rating: rating, opensAt: opens, closesAt: closes,
      visitMinutes: visit, distanceKm: distance)
  }
}
