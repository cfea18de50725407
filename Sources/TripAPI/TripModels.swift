import Foundation
import ServiceKit

/// A trip as the API shows it. Dates are ISO 8601 calendar dates (`2026-05-01`).
public struct TripResource: Codable, Sendable, Equatable {
  public let id: Int64
  public let userId: Int64
  public let destinationId: Int64
  public let title: String
  public let startDate: String
  public let endDate: String
  public let travellers: Int
  public let preferences: JSONValue
  public let createdAt: Date
  public let updatedAt: Date
}

/// POST /api/v1/trips and PUT /api/v1/trips/{id}: the whole trip.
public struct TripRequest: Codable, Sendable {
  public var destinationId: Int64
  public var title: String
  public var startDate: String
  public var endDate: String
  public var travellers: Int?
  /// Free-form preferences (`{"interests": ["museum", "cafe"], "pace": "relaxed"}`); must be an object.
  public var preferences: JSONValue?
}

/// One day of a trip's itinerary.
public struct TripDayResource: Codable, Sendable, Equatable {
  public let dayNumber: Int
  public let date: String
  public let plan: JSONValue
}

/// PUT /api/v1/trips/{id}/days/{day}: the day's plan, a JSON array of stops.
public struct TripDayRequest: Codable, Sendable {
  public var plan: JSONValue
}

/// The checks the schema's constraints make, done first so callers get a message that names the field.
enum TripValidation {
  static let travellers = 1...50
  static let maximumDays = 60

  struct Valid {
    let title: String
    let startDate: String
    let endDate: String
    let travellers: Int
    let preferencesJSON: String
  }

  static func validate(_ request: TripRequest) throws -> Valid {
    let title = request.title.trimmingCharacters(in: .whitespacesAndNewlines)
    guard (1...200).contains(title.count) else {
      throw ValidationError("title must be 1 to 200 characters")
    }
    guard let start = TripDate.parse(request.startDate) else {
      throw ValidationError("startDate must be a date like 2026-05-01")
    }
    guard let end = TripDate.parse(request.endDate) else {
      throw ValidationError("endDate must be a date like 2026-05-03")
    }
    guard end >= start else { throw ValidationError("endDate is before startDate") }
    guard TripDate.days(from: start, to: end) <= maximumDays else {
      throw ValidationError("a trip lasts at most \(maximumDays) days")
    }
    let travellers = request.travellers ?? 1
    guard Self.travellers.contains(travellers) else {
      throw ValidationError("travellers must be in \(Self.travellers)")
    }
    let preferences = request.preferences ?? .object([:])
    guard case .object = preferences else {
      throw ValidationError("preferences must be a JSON object")
    }
    return Valid(
      title: title, startDate: request.startDate, endDate: request.endDate,
      travellers: travellers, preferencesJSON: try JSONCoding.text(preferences))
  }
}

struct ValidationError: Error {
  let message: String
  init(_ message: String) { self.message = message }
}

/// Calendar dates in UTC.
enum TripDate {
  static func parse(_ text: String) -> Date? {
    guard text.firstMatch(of: /^\d{4}-\d{2}-\d{2}$/) != nil else { return nil }
    let strategy = Date.ISO8601FormatStyle().year().month().day()
    guard let date = try? Date(text, strategy: strategy) else { return nil }
    // Reject dates the parser rolls over (2026-02-30).
    return format(date) == text ? date : nil
  }

  static func format(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle().year().month().day())
  }

  /// Days in the trip, both ends included.
  static func days(from start: Date, to end: Date) -> Int {
    Int((end.timeIntervalSince(start) / 86_400).rounded()) + 1
  }
}
