import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// The location service's API (access token required):
///
/// - `GET /api/v1/destinations?q=&country=&domestic=&lat=&lon=&radiusKm=&limit=&offset=`
/// - `GET /api/v1/destinations/{id}`
/// - `GET /api/v1/places?q=&category=&destinationId=&lat=&lon=&radiusKm=&limit=&offset=`
/// - `GET /api/v1/places/{id}`
///
/// Searches are answered from Redis when cached (`X-Cache: hit`), else from PostgreSQL (`miss`).
public enum LocationRoutes {
  public static func add(to router: Router<ServiceRequestContext>, environment: ServiceEnvironment)
    throws
  {
    let store = LocationStore(database: environment.database)
    let ttl = try environment.configuration.source.integer(
      "CACHE_TTL_SECONDS", default: 600, range: 1...86_400)
    let cache = SearchCache(
      redis: environment.redis, ttlSeconds: ttl, logger: environment.loggers.application)
    let authenticator = JWTAuthenticator(
      tokens: environment.tokens, securityLogger: environment.loggers.security)

    let destinations = router.group("api/v1/destinations").add(middleware: authenticator)
    destinations.get { request, _ -> Response in
      let search = try LocationSearch(request: request)
      return try await cached(cache, search.cacheKey(kind: "destinations")) {
        try await store.destinations(search)
      }
    }
    destinations.get(":id") { _, context -> Response in
      let id = try context.parameters.require("id", as: Int64.self)
      guard let destination = try await store.destination(id: id) else {
        throw HTTPError(.notFound, message: "destination \(id) does not exist")
      }
      return try jsonResponse(destination, status: .ok)
    }

    let places = router.group("api/v1/places").add(middleware: authenticator)
    places.get { request, _ -> Response in
      let search = try LocationSearch(request: request)
      return try await cached(cache, search.cacheKey(kind: "places")) {
        try await store.places(search)
      }
    }
    places.get(":id") { _, context -> Response in
      let id = try context.parameters.require("id", as: Int64.self)
      guard let place = try await store.place(id: id) else {
        throw HTTPError(.notFound, message: "place \(id) does not exist")
      }
      return try jsonResponse(place, status: .ok)
    }
  }

  static let cacheHeader = HTTPField.Name("X-Cache")!

  static func cached(
    _ cache: SearchCache, _ key: String, query: () async throws -> some Encodable
  ) async throws -> Response {
    let (body, outcome) = try await cache.fetch(key) {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      return Array(try encoder.encode(try await query()))
    }
    return Response(
      status: .ok,
      headers: [.contentType: "application/json; charset=utf-8", cacheHeader: outcome.rawValue],
      body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }
}
