/// A place the planner may schedule (a row of `places`), times in minutes after midnight.
public struct PlannablePlace: Sendable, Equatable, Codable {
  public let id: Int64
  public let code: String
  public let name: String
  public let category: String
  public let latitude: Double
  public let longitude: Double
  public let rating: Double
  public let opensAt: Int
  public let closesAt: Int
  public let visitMinutes: Int

  public init(
    id: Int64, code: String, name: String, category: String, latitude: Double, longitude: Double,
    rating: Double, opensAt: Int, closesAt: Int, visitMinutes: Int
  ) {
    self.id = id
    self.code = code
    self.name = name
    self.category = category
    self.latitude = latitude
    self.longitude = longitude
    self.rating = rating
    self.opensAt = opensAt
    self.closesAt = closesAt
    self.visitMinutes = visitMinutes
  }
}

/// How full a day should be, from the trip's `preferences.pace`.
public enum Pace: String, Sendable, Codable {
  case relaxed, normal, packed

  /// The most stops in a day.
  var maximumStops: Int {
    switch self {
    case .relaxed: return 3
    case .normal: return 4
    case .packed: return 6
    }
  }
}

/// What the planner plans from: the trip's length and wishes, the destination, its places.
public struct PlanningRequest: Sendable, Equatable {
  public let days: Int
  public let centreLatitude: Double
  public let centreLongitude: Double
  /// Preferred categories, most wanted first (`preferences.interests`).
  public let interests: [String]
  public let pace: Pace
  public let places: [PlannablePlace]

  public init(
    days: Int, centreLatitude: Double, centreLongitude: Double, interests: [String], pace: Pace,
    places: [PlannablePlace]
  ) {
    self.days = days
    self.centreLatitude = centreLatitude
    self.centreLongitude = centreLongitude
    self.interests = interests
    self.pace = pace
    self.places = places
  }
}

/// One scheduled visit: stored as an element of `trip_days.plan`.
public struct PlannedStop: Sendable, Equatable, Codable {
  public let placeId: Int64
  public let code: String
  public let name: String
  public let category: String
  /// Local arrival and departure, `HH:MM`.
  public let start: String
  public let end: String
  /// Minutes of travel from the previous stop (or the destination's centre).
  public let travelMinutes: Int
  public let distanceKm: Double
}

/// One day of a planned itinerary.
public struct PlannedDay: Sendable, Equatable, Codable {
  public let dayNumber: Int
  public let stops: [PlannedStop]
}

/// A planner's answer, with the name of the planner that made it (recorded on the job).
public struct PlannedItinerary: Sendable, Equatable {
  /// `local` or `openai`.
  public let planner: String
  public let days: [PlannedDay]

  public init(planner: String, days: [PlannedDay]) {
    self.planner = planner
    self.days = days
  }
}

/// Makes a day-by-day itinerary.
public protocol ItineraryPlanner: Sendable {
  func plan(_ request: PlanningRequest) async throws -> PlannedItinerary
}
