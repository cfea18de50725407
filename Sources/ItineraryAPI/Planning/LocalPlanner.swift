import Foundation

/// The default planner: deterministic and local. The same request (in any order of places) always
/// gives the same itinerary, so jobs can be retried and results compared.
///
/// Each day starts at 09:00 from the destination's centre and greedily picks the next stop among places
/// that are open on arrival and can be finished before they close (and before 22:30): first places not
/// yet visited on the trip, then the traveller's preferred categories in order, then categories not yet
/// seen that day, then the shortest wait (travel plus waiting for opening), then the best rating, then
/// the code as the final tie-break. Lodging is never a stop. When every place has been visited, earlier
/// days' places may be revisited, never twice in one day.
public struct LocalPlanner: ItineraryPlanner {
  /// Average door-to-door speed in a city, including waiting: 20 km/h.
  static let speedKmPerHour = 20.0
  static let dayStart = 9 * 60
  static let dayEnd = 22 * 60 + 30

  public init() {}

  public func plan(_ request: PlanningRequest) async throws -> PlannedItinerary {
    PlannedItinerary(planner: "local", days: planSynchronously(request))
  }

  /// The itinerary (pure: no clock, no randomness).
  public func planSynchronously(_ request: PlanningRequest) -> [PlannedDay] {
    let candidates = request.places
      .filter { $0.category != "lodging" }
      .sorted { $0.code < $1.code }
    var visitedOnTrip = Set<Int64>()
    var days: [PlannedDay] = []
    for day in 1...max(1, request.days) {
      var time = Self.dayStart
      var latitude = request.centreLatitude
      var longitude = request.centreLongitude
      var visitedToday = Set<Int64>()
      var categoriesToday = Set<String>()
      var stops: [PlannedStop] = []
      while stops.count < request.pace.maximumStops {
        var best: (key: [Double], place: PlannablePlace, travel: Int, distance: Double, start: Int)?
        for place in candidates where !visitedToday.contains(place.id) {
          let distance = Self.distanceKm(latitude, longitude, place.latitude, place.longitude)
          let travel = Self.travelMinutes(distance)
          let start = max(time + travel, place.opensAt)
          let end = start + place.visitMinutes
          guard end <= place.closesAt, end <= Self.dayEnd else { continue }
          let preference =
            request.interests.firstIndex(of: place.category) ?? request.interests.count
          let key: [Double] = [
            visitedOnTrip.contains(place.id) ? 1 : 0,
            Double(preference),
            categoriesToday.contains(place.category) ? 1 : 0,
            Double(start - time),
            -place.rating,
          ]
          // Candidates are in code order, so the first of equal keys has the smallest code.
          if let current = best, !key.lexicographicallyPrecedes(current.key) { continue }
          best = (key, place, travel, distance, start)
        }
        guard let chosen = best else { break }
        let end = chosen.start + chosen.place.visitMinutes
        stops.append(
          PlannedStop(
            placeId: chosen.place.id, code: chosen.place.code, name: chosen.place.name,
            category: chosen.place.category, start: Self.clock(chosen.start), end: Self.clock(end),
            travelMinutes: chosen.travel, distanceKm: (chosen.distance * 10).rounded() / 10))
        visitedToday.insert(chosen.place.id)
        visitedOnTrip.insert(chosen.place.id)
        categoriesToday.insert(chosen.place.category)
        time = end
        latitude = chosen.place.latitude
        longitude = chosen.place.longitude
      }
      days.append(PlannedDay(dayNumber: day, stops: stops))
    }
    return days
  }

  /// Times a given sequence of places for one day, as the local planner would (from 09:00 at the
  /// destination's centre); places that cannot be visited within their hours, or the day, are left out.
  static func schedule(_ sequence: [PlannablePlace], request: PlanningRequest) -> [PlannedStop] {
    var time = dayStart
    var latitude = request.centreLatitude
    var longitude = request.centreLongitude
    var stops: [PlannedStop] = []
    for place in sequence {
      let distance = distanceKm(latitude, longitude, place.latitude, place.longitude)
      let travel = travelMinutes(distance)
      let start = max(time + travel, place.opensAt)
      let end = start + place.visitMinutes
      guard end <= place.closesAt, end <= dayEnd else { continue }
      stops.append(
        PlannedStop(
          placeId: place.id, code: place.code, name: place.name, category: place.category,
          start: clock(start), end: clock(end), travelMinutes: travel,
          distanceKm: (distance * 10).rounded() / 10))
      time = end
      latitude = place.latitude
      longitude = place.longitude
    }
    return stops
  }

  /// Great-circle distance (haversine, Earth radius 6371 km).
  static func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let radians = Double.pi / 180
    let dLat = (lat2 - lat1) * radians
    let dLon = (lon2 - lon1) * radians
    let a =
      pow(sin(dLat / 2), 2) + cos(lat1 * radians) * cos(lat2 * radians) * pow(sin(dLon / 2), 2)
    return 6371 * 2 * asin(min(1, sqrt(a)))
  }

  /// Minutes to travel `distance` km: at the average speed, plus 5 minutes to set off when moving.
  static func travelMinutes(_ distance: Double) -> Int {
    guard distance > 0.05 else { return 0 }
    return Int((distance / speedKmPerHour * 60).rounded(.up)) + 5
  }

  static func clock(_ minutes: Int) -> String {
    String(format: "%02d:%02d", minutes / 60, minutes % 60)
  }
}
