import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing

extension ServiceTests {
  @Suite struct ActuatorTests {
    struct Health: Decodable {
      struct Component: Decodable {
        let status: String
        let error: String?
      }
      let status: String
      let components: [String: Component]?
    }

    @Test func healthIsUpWithBothComponentsAndRequestIDsFlow() async throws {
      let service = try await TestService(name: "trip-service")
      try await service.test(routes: TestService.noRoutes) { client in
        for path in ["/actuator/health", "/actuator/health/readiness"] {
          try await client.execute(uri: path, method: .get) { response in
            #expect(response.status == .ok)
            let health = try response.body.json(Health.self)
            #expect(health.status == "UP")
            #expect(health.components?["db"]?.status == "UP")
            #expect(health.components?["redis"]?.status == "UP")
          }
        }
        try await client.execute(
          uri: "/actuator/health/liveness", method: .get,
          headers: [RequestIDMiddleware.header: "caller-id-1"]
        ) { response in
          #expect(response.status == .ok)
          #expect(response.headers[RequestIDMiddleware.header] == "caller-id-1")
        }
        try await client.execute(uri: "/no/such/route", method: .get) { response in
          #expect(response.status == .notFound)
          let generated = try #require(response.headers[RequestIDMiddleware.header])
          #expect(UUID(uuidString: generated) != nil)
        }
        // An id with a newline (log injection) is replaced.
        try await client.execute(
          uri: "/actuator/health/liveness", method: .get,
          headers: [RequestIDMiddleware.header: "a b"]
        ) { response in
          #expect(response.headers[RequestIDMiddleware.header] != "a b")
        }
      }
      #expect(service.logLines.contains { $0.contains(#""request_id":"caller-id-1""#) })
    }

    @Test func readinessGoesTo503WhenPostgreSQLStopsAndLivenessStaysUp() async throws {
      // Its own PostgreSQL server, since this test stops it.
      let postgres = try PostgresServer()
      try postgres.createDatabase("tripgen")
      try Backends.loadChartSQL(into: postgres, database: "tripgen")
      let service = try await TestService(
        name: "user-service", postgresPort: postgres.port, databaseName: "tripgen")
      try await service.test(routes: TestService.noRoutes) { client in
        try await client.execute(uri: "/actuator/health/readiness", method: .get) {
          #expect($0.status == .ok)
        }
        postgres.stop()
        try await client.execute(uri: "/actuator/health/readiness", method: .get) { response in
          #expect(response.status == .serviceUnavailable)
          let health = try response.body.json(Health.self)
          #expect(health.status == "DOWN")
          #expect(health.components?["db"]?.status == "DOWN")
          #expect(health.components?["redis"]?.status == "UP")
        }
        try await client.execute(uri: "/actuator/health/liveness", method: .get) {
          #expect($0.status == .ok)
        }
      }
    }

    @Test func readinessNamesRedisWhenItStops() async throws {
      let service = try await TestService(name: "location-service")
      try await service.test(routes: TestService.noRoutes) { client in
        service.redis.stop()
        try await client.execute(uri: "/actuator/health/readiness", method: .get) { response in
          #expect(response.status == .serviceUnavailable)
          let health = try response.body.json(Health.self)
          #expect(health.components?["redis"]?.status == "DOWN")
          #expect(health.components?["db"]?.status == "UP")
          let error = health.components?["redis"]?.error ?? ""
          #expect(!error.isEmpty)
          #expect(!error.contains(service.redis.password))
        }
        try service.redis.restart()
        try await client.execute(uri: "/actuator/health/readiness", method: .get) {
          #expect($0.status == .ok, "the pool reconnects once Redis is back")
        }
      }
    }

    @Test func prometheusShowsRequestsLatencyPoolAndMemory() async throws {
      let service = try await TestService(name: "trip-service")
      try await service.test(routes: TestService.noRoutes) { client in
        try await client.execute(uri: "/actuator/health", method: .get) { _ in }
        try await client.execute(uri: "/actuator/prometheus", method: .get) { response in
          #expect(response.status == .ok)
          let text = String(buffer: response.body)
          #expect(text.contains("hb_requests{"))
          #expect(text.contains("http_server_request_duration_bucket{"))
          #expect(text.contains("db_pool_connections_max"))
          #expect(text.contains("db_pool_connections_leased"))
          #expect(text.contains("redis_pool_connections_max"))
          let resident = try #require(
            text.firstMatch(of: /process_resident_memory_bytes (\d+(\.\d+)?)/))
          #expect(Double(resident.output.1)! > 1_000_000)
        }
      }
    }
  }
}
