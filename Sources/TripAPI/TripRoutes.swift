import Hummingbird
import ServiceKit

/// The trip service's API under `/api/v1/trips` (access token required). A trip is visible only to its
/// owner and to admins; anyone else gets 404, so trip ids of other users cannot be probed.
///
/// - `POST /` create, `GET /` list the caller's trips (`limit`, `offset`), `GET /{id}`, `PUT /{id}`
///   replace, `DELETE /{id}`.
/// - `GET /{id}/days`, `PUT /{id}/days/{day}` set a day's plan, `DELETE /{id}/days/{day}`.
public enum TripRoutes {
  public static func add(to router: Router<ServiceRequestContext>, environment: ServiceEnvironment)
  {
    let store = TripStore(database: environment.database)
    let trips = router.group("api/v1/trips")
      .add(
        middleware: JWTAuthenticator(
          tokens: environment.tokens, securityLogger: environment.loggers.security))

    trips.post { request, context -> Response in
      let caller = try context.requireIdentity()
      let body = try await request.decode(as: TripRequest.self, context: context)
      let valid = try validated(body)
      guard try await store.destinationExists(body.destinationId) else {
        throw HTTPError(.badRequest, message: "destination \(body.destinationId) does not exist")
      }
      let trip = try await store.insert(
        userID: caller.userID, destinationID: body.destinationId, valid)
      context.logger.info("trip created", metadata: ["trip_id": "\(trip.id)"])
      return try jsonResponse(trip, status: .created)
    }

    trips.get { request, context -> Response in
      let caller = try context.requireIdentity()
      let limit = try request.integerQuery("limit", default: 50, range: 1...200)
      let offset = try request.integerQuery("offset", default: 0, range: 0...1_000_000)
      return try jsonResponse(
        try await store.list(userID: caller.userID, limit: limit, offset: offset), status: .ok)
    }

    trips.get(":id") { _, context -> Response in
      try jsonResponse(try await ownedTrip(context, store), status: .ok)
    }

    trips.put(":id") { request, context -> Response in
      let trip = try await ownedTrip(context, store)
      let body = try await request.decode(as: TripRequest.self, context: context)
      let valid = try validated(body)
      guard try await store.destinationExists(body.destinationId) else {
        throw HTTPError(.badRequest, message: "destination \(body.destinationId) does not exist")
      }
      try await store.update(id: trip.id, destinationID: body.destinationId, valid)
      guard let updated = try await store.find(id: trip.id) else { throw notFound(trip.id) }
      return try jsonResponse(updated, status: .ok)
    }

    trips.delete(":id") { _, context -> HTTPResponse.Status in
      let trip = try await ownedTrip(context, store)
      try await store.delete(id: trip.id)
      context.logger.info("trip deleted", metadata: ["trip_id": "\(trip.id)"])
      return .noContent
    }

    trips.get(":id/days") { _, context -> Response in
      let trip = try await ownedTrip(context, store)
      return try jsonResponse(try await store.days(tripID: trip.id), status: .ok)
    }

    trips.put(":id/days/:day") { request, context -> Response in
      let trip = try await ownedTrip(context, store)
      let day = try dayNumber(context, trip)
      let body = try await request.decode(as: TripDayRequest.self, context: context)
      guard case .array = body.plan else {
        throw HTTPError(.badRequest, message: "plan must be a JSON array of stops")
      }
      try await store.upsertDay(tripID: trip.id, day: day, planJSON: try JSONCoding.text(body.plan))
      guard let saved = try await store.days(tripID: trip.id).first(where: { $0.dayNumber == day })
      else { throw notFound(trip.id) }
      return try jsonResponse(saved, status: .ok)
    }

    trips.delete(":id/days/:day") { _, context -> HTTPResponse.Status in
      let trip = try await ownedTrip(context, store)
      let day = try dayNumber(context, trip)
      guard try await store.deleteDay(tripID: trip.id, day: day) else {
        throw HTTPError(.notFound, message: "trip \(trip.id) has no plan for day \(day)")
      }
      return .noContent
    }
  }

  /// The trip named by `:id`, if the caller may see it; 404 otherwise.
  static func ownedTrip(_ context: ServiceRequestContext, _ store: TripStore) async throws
    -> TripResource
  {
    let caller = try context.requireIdentity()
    let id = try context.parameters.require("id", as: Int64.self)
    guard let trip = try await store.find(id: id), caller.mayAccess(ownerID: trip.userId) else {
      throw notFound(id)
    }
    return trip
  }

  static func dayNumber(_ context: ServiceRequestContext, _ trip: TripResource) throws -> Int {
    let day = try context.parameters.require("day", as: Int.self)
    guard let start = TripDate.parse(trip.startDate), let end = TripDate.parse(trip.endDate)
    else { throw HTTPError(.internalServerError) }
    let length = TripDate.days(from: start, to: end)
    guard (1...length).contains(day) else {
      throw HTTPError(.badRequest, message: "day must be in 1...\(length) for this trip")
    }
    return day
  }

  static func validated(_ body: TripRequest) throws -> TripValidation.Valid {
    do {
      return try TripValidation.validate(body)
    } catch let error as ValidationError {
      throw HTTPError(.badRequest, message: error.message)
    }
  }

  static func notFound(_ id: Int64) -> HTTPError {
    HTTPError(.notFound, message: "trip \(id) does not exist")
  }
}
