import Hummingbird
import ServiceKit

/// The AI service's API under `/api/v1/itineraries` (access token required):
///
/// - `POST /` with `{"tripId": n}`: queues a generation job for a trip the caller may see; 202 with the
///   job and a `Location` to poll.
/// - `GET /{jobId}`: the job's status; once it succeeded, the planned days too.
public enum ItineraryRoutes {
  /// POST body.
  public struct GenerateRequest: Codable, Sendable {
    public var tripId: Int64
  }

  public static func add(
    to router: Router<ServiceRequestContext>, environment: ServiceEnvironment, queue: any JobQueue
  ) {
    let jobs = ItineraryJobStore(database: environment.database)
    let source = TripPlanningSource(database: environment.database)
    let itineraries = router.group("api/v1/itineraries")
      .add(
        middleware: JWTAuthenticator(
          tokens: environment.tokens, securityLogger: environment.loggers.security))

    itineraries.post { request, context -> Response in
      let caller = try context.requireIdentity()
      let body = try await request.decode(as: GenerateRequest.self, context: context)
      guard let owner = try await source.owner(tripID: body.tripId),
        caller.mayAccess(ownerID: owner)
      else { throw HTTPError(.notFound, message: "trip \(body.tripId) does not exist") }
      let id = try await jobs.create(tripID: body.tripId, userID: owner)
      try await queue.send(try JSONCoding.text(ItineraryJobMessage(jobId: id, tripId: body.tripId)))
      context.logger.info("itinerary job queued", metadata: ["job_id": "\(id)"])
      guard let created = try await jobs.find(id: id) else {
        throw HTTPError(.internalServerError)
      }
      var response = try jsonResponse(created.job, status: .accepted)
      response.headers[.location] = "/api/v1/itineraries/\(id)"
      return response
    }

    itineraries.get(":jobId") { _, context -> Response in
      let caller = try context.requireIdentity()
      let id = try context.parameters.require("jobId")
      guard let found = try await jobs.find(id: id), caller.mayAccess(ownerID: found.ownerID) else {
        throw HTTPError(.notFound, message: "itinerary job \(id) does not exist")
      }
      var job = found.job
      if job.status == .succeeded {
        job.days = try await jobs.days(tripID: job.tripId)
      }
      return try jsonResponse(job, status: .ok)
    }
  }
}
