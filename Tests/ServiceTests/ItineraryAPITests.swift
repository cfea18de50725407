import Foundation
import Hummingbird
import HummingbirdTesting
import ItineraryAPI
import Logging
import ServiceKit
import Testing

extension ServiceTests {
  @Suite struct ItineraryAPITests {
    /// A planner that always fails, for the retry and give-up path.
    struct FailingPlanner: ItineraryPlanner {
      struct Failure: Error {}
      func plan(_ request: PlanningRequest) async throws -> PlannedItinerary { throw Failure() }
    }

    static func settings(lease: Duration = .seconds(60)) -> ItineraryWorker.Settings {
      var settings = ItineraryWorker.Settings()
      settings.lease = lease
      settings.retryBackoff = .zero
      settings.pollInterval = .milliseconds(50)
      return settings
    }

    /// A service with the AI tables applied and one trip of member1's (3 days in Seoul).
    func prepared() async throws -> (TestService, ItineraryService, tripID: Int64, token: String) {
      let service = try await TestService(name: "ai-service")
      let owner = try service.userID("member1@tripgen.dev")
      let trip = try #require(
        Int64(
          try service.query(
            """
            INSERT INTO trips (user_id, destination_id, title, start_date, end_date, preferences)
            VALUES (\(owner), 1, 'Seoul', '2026-04-01', '2026-04-03',
                    '{"interests": ["museum"], "pace": "packed"}') RETURNING id
            """
          ).first ?? ""))
      let itinerary = try ItineraryService(
        environment: service.environment, settings: Self.settings())
      return (service, itinerary, trip, try await service.token(userID: owner, role: .member))
    }

    /// Creates the AI tables; only inside `service.test`, where the PostgreSQL client runs.
    func migrate(_ service: TestService) async throws {
      for migration in ItineraryService.migrations {
        try await migration.apply(to: service.environment.database)
      }
    }

    @Test func generateQueuesAJobThatTheWorkerPlans() async throws {
      let (service, itinerary, trip, token) = try await prepared()
      try await service.test(routes: itinerary.addRoutes(to:environment:)) { client in
        try await migrate(service)
        let job = try await client.execute(
          uri: "/api/v1/itineraries", method: .post, headers: headers(token: token),
          body: jsonBody(#"{"tripId": \#(trip)}"#)
        ) { response in
          #expect(response.status == .accepted)
          let job = try response.body.json(ItineraryJobResource.self)
          #expect(response.headers[.location] == "/api/v1/itineraries/\(job.jobId)")
          return job
        }
        #expect(job.status == .queued)
        #expect(try await itinerary.worker.processNext())
        #expect(try await !itinerary.worker.processNext(), "the queue is empty again")
        let done = try await client.execute(
          uri: "/api/v1/itineraries/\(job.jobId)", method: .get, headers: headers(token: token)
        ) { response in
          #expect(response.status == .ok)
          return try response.body.json(ItineraryJobResource.self)
        }
        #expect(done.status == .succeeded)
        #expect(done.planner == "local")
        #expect(done.attempts == 1)
        let days = try #require(done.days)
        #expect(days.map(\.dayNumber) == [1, 2, 3])
        #expect(days[0].stops.allSatisfy { $0.code.hasPrefix("KR-SEL-") })
        #expect(!days[0].stops.isEmpty)
      }
      #expect(try service.query("SELECT count(*) FROM trip_days WHERE trip_id = \(trip)") == ["3"])
    }

    @Test func requestFailures() async throws {
      let (service, itinerary, trip, _) = try await prepared()
      let stranger = try await service.token(
        userID: try service.userID("member2@tripgen.dev"), role: .member)
      let admin = try await service.token(
        userID: try service.userID("admin@tripgen.dev"), role: .admin)
      try await service.test(routes: itinerary.addRoutes(to:environment:)) { client in
        try await migrate(service)
        let cases: [(String, String?, HTTPResponse.Status)] = [
          (#"{"tripId": \#(trip)}"#, stranger, .notFound),
          (#"{"tripId": 999999}"#, admin, .notFound),
          (#"{"trip": 1}"#, admin, .badRequest),
          (#"{"tripId": "#, admin, .badRequest),
          (#"{"tripId": \#(trip)}"#, nil, .unauthorized),
          (#"{"tripId": \#(trip)}"#, "forged.token.value", .unauthorized),
        ]
        for (body, token, status) in cases {
          try await client.execute(
            uri: "/api/v1/itineraries", method: .post, headers: headers(token: token),
            body: jsonBody(body)
          ) { #expect($0.status == status, "\(body)") }
        }
        let job = try await client.execute(
          uri: "/api/v1/itineraries", method: .post, headers: headers(token: admin),
          body: jsonBody(#"{"tripId": \#(trip)}"#)
        ) { response in
          #expect(response.status == .accepted, "an admin may plan anyone's trip")
          return try response.body.json(ItineraryJobResource.self)
        }
        for id in [job.jobId, UUID().uuidString, "not-a-uuid"] {
          try await client.execute(
            uri: "/api/v1/itineraries/\(id)", method: .get, headers: headers(token: stranger)
          ) { #expect($0.status == .notFound, "\(id)") }
        }
      }
    }

    @Test func leaseExpiryRedeliversAClaimedMessageAtLeastOnce() async throws {
      try await offThePool {
        let (service, _, _, _) = try await prepared()
        let queue = PostgresJobQueue(database: service.environment.database, queue: "test-queue")
        try await service.test(routes: TestService.noRoutes) { _ in
          try await migrate(service)
          try await queue.send(#"{"n": 1}"#)
          try await queue.send(#"{"n": 2}"#)
          // A worker claims message 1 and dies: no complete, no abandon.
          let claimed = try #require(try await queue.receive(lease: .milliseconds(800)))
          #expect(claimed.body == #"{"n": 1}"#)
          #expect(claimed.deliveryCount == 1)
          // While the lease holds, others get the next message, not this one.
          let other = try #require(try await queue.receive(lease: .seconds(60)))
          #expect(other.body == #"{"n": 2}"#)
          #expect(try await queue.receive(lease: .seconds(60)) == nil)
          try await Task.sleep(for: .milliseconds(1200))
          let again = try #require(try await queue.receive(lease: .seconds(60)))
          #expect(again.id == claimed.id)
          #expect(again.deliveryCount == 2)
          // The dead worker's late completion does not remove the redelivered message.
          #expect(try await !queue.complete(claimed))
          #expect(try await queue.complete(again))
          #expect(try await queue.complete(other))
          #expect(try await queue.receive(lease: .seconds(60)) == nil)
        }
      }
    }

    @Test func concurrentReceiversNeverShareAMessage() async throws {
      let (service, _, _, _) = try await prepared()
      let queue = PostgresJobQueue(database: service.environment.database, queue: "parallel")
      try await service.test(routes: TestService.noRoutes) { _ in
        try await migrate(service)
        for n in 0..<20 { try await queue.send(#"{"n": \#(n)}"#) }
        let received = try await withThrowingTaskGroup(of: [String].self) { group in
          for _ in 0..<4 {
            group.addTask {
              var bodies: [String] = []
              while let message = try await queue.receive(lease: .seconds(60)) {
                bodies.append(message.body)
                try await queue.complete(message)
              }
              return bodies
            }
          }
          return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(received.count == 20)
        #expect(Set(received).count == 20)
      }
    }

    @Test func aWorkerKilledMidJobLeavesItForTheNextOne() async throws {
      try await offThePool {
        let (service, itinerary, trip, token) = try await prepared()
        try await service.test(routes: itinerary.addRoutes(to:environment:)) { client in
          try await migrate(service)
          let job = try await client.execute(
            uri: "/api/v1/itineraries", method: .post, headers: headers(token: token),
            body: jsonBody(#"{"tripId": \#(trip)}"#)
          ) { try $0.body.json(ItineraryJobResource.self) }
          // The first worker claims the message with a short lease and is killed before finishing.
          let queue = PostgresJobQueue(
            database: service.environment.database, queue: "ai-schedule-generation")
          _ = try #require(try await queue.receive(lease: .milliseconds(500)))
          #expect(try await !itinerary.worker.processNext(), "hidden while the lease holds")
          try await Task.sleep(for: .milliseconds(900))
          #expect(try await itinerary.worker.processNext())
          try await client.execute(
            uri: "/api/v1/itineraries/\(job.jobId)", method: .get, headers: headers(token: token)
          ) { response in
            let done = try response.body.json(ItineraryJobResource.self)
            #expect(done.status == .succeeded)
            #expect(done.days?.count == 3)
          }
        }
      }
    }

    @Test func aJobThatKeepsFailingIsGivenUpAfterTheRetryLimit() async throws {
      let (service, itinerary, trip, token) = try await prepared()
      let failing = ItineraryWorker(
        queue: itinerary.queue, database: service.environment.database, planner: FailingPlanner(),
        settings: Self.settings(), logger: Logger(label: "test"))
      try await service.test(routes: itinerary.addRoutes(to:environment:)) { client in
        try await migrate(service)
        let job = try await client.execute(
          uri: "/api/v1/itineraries", method: .post, headers: headers(token: token),
          body: jsonBody(#"{"tripId": \#(trip)}"#)
        ) { try $0.body.json(ItineraryJobResource.self) }
        for _ in 0..<3 { #expect(try await failing.processNext()) }
        #expect(try await !failing.processNext(), "no fourth delivery")
        try await client.execute(
          uri: "/api/v1/itineraries/\(job.jobId)", method: .get, headers: headers(token: token)
        ) { response in
          let failed = try response.body.json(ItineraryJobResource.self)
          #expect(failed.status == .failed)
          #expect(failed.attempts == 3)
          #expect(failed.error?.contains("Failure") == true)
        }
      }
    }
  }
}
