import Foundation
import Hummingbird
import HummingbirdTesting
import LocationAPI
import ServiceKit
import TestSupport
import Testing

extension ServiceTests {
  @Suite struct LocationAPITests {
    func routes(_ router: Router<ServiceRequestContext>, _ environment: ServiceEnvironment) throws {
      try LocationRoutes.add(to: router, environment: environment)
    }

    func token(_ service: TestService) async throws -> String {
      try await service.token(userID: try service.userID("guest@tripgen.dev"), role: .guest)
    }

    @Test func placesByNameCategoryAndDistance() async throws {
      let service = try await TestService(name: "location-service")
      let token = try await token(service)
      try await service.test(routes: routes) { client in
        try await client.execute(
          uri: "/api/v1/places?q=seoul&limit=100", method: .get, headers: headers(token: token)
        ) { response in
          #expect(response.status == .ok)
          let places = try response.body.json([PlaceResource].self)
          #expect(places.count == 5)
          #expect(places.allSatisfy { $0.name.lowercased().contains("seoul") })
          #expect(places.map(\.name) == places.map(\.name).sorted())
        }
        try await client.execute(
          uri: "/api/v1/places?category=museum&limit=100", method: .get,
          headers: headers(token: token)
        ) { response in
          let places = try response.body.json([PlaceResource].self)
          #expect(!places.isEmpty)
          #expect(places.allSatisfy { $0.category == "museum" })
        }
        // Around Seoul's centre: sorted by distance, all within the radius.
        try await client.execute(
          uri: "/api/v1/places?lat=37.5665&lon=126.978&radiusKm=5&limit=100", method: .get,
          headers: headers(token: token)
        ) { response in
          let places = try response.body.json([PlaceResource].self)
          #expect(places.count == 5)
          let distances = places.compactMap(\.distanceKm)
          #expect(distances.count == 5)
          #expect(distances == distances.sorted())
          #expect(distances.allSatisfy { $0 <= 5 })
          #expect(places.allSatisfy { $0.code.hasPrefix("KR-SEL-") })
        }
        try await client.execute(
          uri: "/api/v1/destinations?q=busan", method: .get, headers: headers(token: token)
        ) { response in
          let destinations = try response.body.json([DestinationResource].self)
          #expect(destinations.map(\.code) == ["KR-PUS"])
        }
        try await client.execute(
          uri: "/api/v1/destinations?domestic=false&limit=100", method: .get,
          headers: headers(token: token)
        ) { response in
          let destinations = try response.body.json([DestinationResource].self)
          #expect(destinations.count == 50)
          #expect(destinations.allSatisfy { !$0.isDomestic })
        }
      }
    }

    @Test func unknownAndInvalid() async throws {
      let service = try await TestService(name: "location-service")
      let token = try await token(service)
      try await service.test(routes: routes) { client in
        for path in ["/api/v1/places/999999", "/api/v1/destinations/999999"] {
          try await client.execute(uri: path, method: .get, headers: headers(token: token)) {
            #expect($0.status == .notFound, "\(path)")
          }
        }
        try await client.execute(
          uri: "/api/v1/places/1", method: .get, headers: headers(token: token)
        ) {
          response in
          #expect(response.status == .ok)
          let place = try response.body.json(PlaceResource.self)
          #expect(place.id == 1)
        }
        for query in [
          "category=zoo", "lat=91&lon=0", "lat=10", "radiusKm=5", "limit=1000", "destinationId=x",
          "domestic=maybe",
        ] {
          try await client.execute(
            uri: "/api/v1/places?\(query)", method: .get, headers: headers(token: token)
          ) { #expect($0.status == .badRequest, "\(query)") }
        }
        try await client.execute(uri: "/api/v1/places", method: .get) {
          #expect($0.status == .unauthorized)
        }
      }
    }

    @Test func searchesAreCachedInRedisWithTheTTLAndCounted() async throws {
      let service = try await TestService(
        name: "location-service", variables: ["CACHE_TTL_SECONDS": "2"])
      let token = try await token(service)
      @Sendable func hits(_ text: String, _ result: String) -> Double {
        let pattern = "location_cache_requests_total{result=\"\(result)\"} "
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(pattern) })
        else { return 0 }
        return Double(line.dropFirst(pattern.count)) ?? 0
      }
      try await service.test(routes: routes) { client in
        let before = try await client.execute(uri: "/actuator/prometheus", method: .get) {
          String(buffer: $0.body)
        }
        let uri = "/api/v1/places?category=park&q=Park&limit=7"
        let first = try await client.execute(uri: uri, method: .get, headers: headers(token: token))
        {
          response in
          #expect(response.headers[.init("X-Cache")!] == "miss")
          return String(buffer: response.body)
        }
        // The same search spelled differently is the same cache entry.
        try await client.execute(
          uri: "/api/v1/places?limit=7&q=park&category=PARK", method: .get,
          headers: headers(token: token)
        ) { response in
          #expect(response.headers[.init("X-Cache")!] == "hit")
          #expect(String(buffer: response.body) == first)
        }
        let after = try await client.execute(uri: "/actuator/prometheus", method: .get) {
          String(buffer: $0.body)
        }
        #expect(hits(after, "hit") - hits(before, "hit") >= 1)
        #expect(hits(after, "miss") - hits(before, "miss") >= 1)
        let ttl = try Command.check([
          "redis-cli", "--no-auth-warning", "-p", String(service.redis.port), "-a",
          service.redis.password, "--scan", "--pattern", "tripgen:location:v1:places:*",
        ]).standardOutput.split(separator: "\n")
        #expect(ttl.count == 1)
        let seconds = try Command.check([
          "redis-cli", "--no-auth-warning", "-p", String(service.redis.port), "-a",
          service.redis.password, "TTL", String(ttl[0]),
        ]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(["1", "2"].contains(seconds))
        try await Task.sleep(for: .milliseconds(2500))
        try await client.execute(uri: uri, method: .get, headers: headers(token: token)) {
          #expect($0.headers[.init("X-Cache")!] == "miss", "expired after CACHE_TTL_SECONDS")
        }
        // With Redis down the search still answers, from PostgreSQL.
        service.redis.stop()
        try await client.execute(uri: uri, method: .get, headers: headers(token: token)) {
          response in
          #expect(response.status == .ok)
          #expect(response.headers[.init("X-Cache")!] == "error")
        }
      }
    }
  }
}
