/// A destination (city or region) as the API shows it.
public struct DestinationResource: Codable, Sendable, Equatable {
  public let id: Int64
  public let code: String
  public let name: String
  public let country: String
  public let region: String
  public let isDomestic: Bool
  public let latitude: Double
  public let longitude: Double
  public let description: String
  /// Kilometres from the point searched around; nil when the search gave none.
  public let distanceKm: Double?
}

/// A place to visit as the API shows it. Times are local `HH:MM`.
public struct PlaceResource: Codable, Sendable, Equatable {
  public let id: Int64
  public let destinationId: Int64
  public let code: String
  public let name: String
  public let category: String
  public let latitude: Double
  public let longitude: Double
  public let rating: Double
  public let opensAt: String
  public let closesAt: String
  public let visitMinutes: Int
  public let distanceKm: Double?
}

/// The place categories the schema allows (`places_category_valid`).
public enum PlaceCategory: String, CaseIterable, Sendable {
  case attraction, restaurant, cafe, museum, park, shopping, lodging, nightlife
}
