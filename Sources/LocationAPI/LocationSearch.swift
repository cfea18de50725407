import Hummingbird
import ServiceKit

/// A validated search: name fragment, filters, and an optional circle (point and radius).
struct LocationSearch: Sendable, Equatable {
  var text: String?
  var category: PlaceCategory?
  var destinationID: Int64?
  var country: String?
  var domestic: Bool?
  var latitude: Double?
  var longitude: Double?
  var radiusKm: Double?
  var limit: Int
  var offset: Int

  /// Reads the query string; 400 names the parameter that is wrong.
  init(request: Request) throws {
    text = request.textQuery("q")
    if let name = request.textQuery("category") {
      guard let category = PlaceCategory(rawValue: name.lowercased()) else {
        throw HTTPError(
          .badRequest,
          message: "category must be one of "
            + PlaceCategory.allCases.map(\.rawValue).joined(separator: ", "))
      }
      self.category = category
    }
    if let id = request.textQuery("destinationId") {
      guard let number = Int64(id), number > 0 else {
        throw HTTPError(.badRequest, message: "destinationId must be a positive integer")
      }
      destinationID = number
    }
    country = request.textQuery("country")
    if let flag = request.textQuery("domestic") {
      guard let value = Bool(flag.lowercased()) else {
        throw HTTPError(.badRequest, message: "domestic must be true or false")
      }
      domestic = value
    }
    latitude = try request.doubleQuery("lat", range: -90...90)
    longitude = try request.doubleQuery("lon", range: -180...180)
    radiusKm = try request.doubleQuery("radiusKm", range: 0.001...20_000)
    guard (latitude == nil) == (longitude == nil) else {
      throw HTTPError(.badRequest, message: "lat and lon must be given together")
    }
    guard radiusKm == nil || latitude != nil else {
      throw HTTPError(.badRequest, message: "radiusKm needs lat and lon")
    }
    limit = try request.integerQuery("limit", default: 20, range: 1...100)
    offset = try request.integerQuery("offset", default: 0, range: 0...100_000)
  }

  /// A stable cache key: the same search, however its parameters were ordered or spelled, gives the
  /// same key.
  func cacheKey(kind: String) -> String {
    let parts: [(String, String?)] = [
      ("q", text?.lowercased()), ("category", category?.rawValue),
      ("destinationId", destinationID.map(String.init)), ("country", country?.lowercased()),
      ("domestic", domestic.map(String.init)), ("lat", latitude.map { "\($0)" }),
      ("lon", longitude.map { "\($0)" }), ("radiusKm", radiusKm.map { "\($0)" }),
      ("limit", String(limit)), ("offset", String(offset)),
    ]
    let query = parts.compactMap { name, value in value.map { "\(name)=\($0)" } }
    return "tripgen:location:v1:\(kind):" + query.joined(separator: "&")
  }
}
