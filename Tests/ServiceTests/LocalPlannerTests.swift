import ItineraryAPI
import Testing

@Suite struct LocalPlannerTests {
  /// Five places shaped like the sample data's: one per category slot around a centre.
  static let places: [PlannablePlace] = [
    .init(
      id: 1, code: "T-P1", name: "Landmark", category: "attraction", latitude: 37.560,
      longitude: 126.970, rating: 4.5, opensAt: 540, closesAt: 1080, visitMinutes: 90),
    .init(
      id: 2, code: "T-P2", name: "Kitchen", category: "restaurant", latitude: 37.564,
      longitude: 126.975, rating: 4.0, opensAt: 660, closesAt: 1320, visitMinutes: 75),
    .init(
      id: 3, code: "T-P3", name: "Cafe", category: "cafe", latitude: 37.568,
      longitude: 126.980, rating: 3.5, opensAt: 480, closesAt: 1260, visitMinutes: 45),
    .init(
      id: 4, code: "T-P4", name: "Museum", category: "museum", latitude: 37.572,
      longitude: 126.985, rating: 4.8, opensAt: 600, closesAt: 1080, visitMinutes: 120),
    .init(
      id: 5, code: "T-P5", name: "Stay", category: "lodging", latitude: 37.566,
      longitude: 126.978, rating: 5.0, opensAt: 0, closesAt: 1439, visitMinutes: 480),
    .init(
      id: 6, code: "T-P6", name: "Night Spot", category: "nightlife", latitude: 37.576,
      longitude: 126.990, rating: 3.0, opensAt: 1080, closesAt: 1439, visitMinutes: 120),
  ]

  static func request(_ places: [PlannablePlace] = places, interests: [String] = ["museum"])
    -> PlanningRequest
  {
    PlanningRequest(
      days: 3, centreLatitude: 37.5665, centreLongitude: 126.978, interests: interests,
      pace: .packed, places: places)
  }

  @Test func sameRequestSameItineraryWhateverThePlaceOrder() {
    let planner = LocalPlanner()
    let first = planner.planSynchronously(Self.request())
    #expect(first == planner.planSynchronously(Self.request()))
    #expect(first == planner.planSynchronously(Self.request(Self.places.reversed())))
    #expect(
      first
        == planner.planSynchronously(
          Self.request([Self.places[3]] + Self.places.filter { $0.id != 4 })))
    #expect(first.map(\.dayNumber) == [1, 2, 3])
  }

  @Test func stopsRespectOpeningHoursPreferencesAndNeverRepeatInADay() throws {
    let days = LocalPlanner().planSynchronously(Self.request())
    let byID = Dictionary(uniqueKeysWithValues: Self.places.map { ($0.id, $0) })
    func minutes(_ clock: String) -> Int {
      let parts = clock.split(separator: ":").compactMap { Int($0) }
      return parts[0] * 60 + parts[1]
    }
    for day in days {
      #expect(Set(day.stops.map(\.placeId)).count == day.stops.count)
      var previousEnd = 9 * 60
      for stop in day.stops {
        let place = try #require(byID[stop.placeId])
        #expect(place.category != "lodging")
        #expect(minutes(stop.start) >= place.opensAt)
        #expect(minutes(stop.end) <= place.closesAt)
        #expect(minutes(stop.end) - minutes(stop.start) == place.visitMinutes)
        #expect(minutes(stop.start) >= previousEnd + stop.travelMinutes)
        previousEnd = minutes(stop.end)
      }
    }
    // Day one: the preferred museum opens at 10:00 and comes first; every non-lodging place is
    // visited on the first day before any is revisited.
    #expect(days[0].stops.first?.category == "museum")
    #expect(Set(days[0].stops.map(\.placeId)) == [1, 2, 3, 4, 6])
  }

  @Test func interestsChangeTheOrder() {
    let cafeFirst = LocalPlanner().planSynchronously(Self.request(interests: ["cafe"]))
    #expect(cafeFirst[0].stops.first?.category == "cafe")
    #expect(
      cafeFirst[0].stops.first?.start == "09:06", "0.24 km: 1 minute at 20 km/h plus 5 to set off")
  }
}
