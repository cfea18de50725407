import Foundation
import Hummingbird
import HummingbirdTesting
import ItineraryAPI
import ServiceKit
import Testing

extension ServiceTests {
  /// The AI service configured with a Service Bus connection string: the API queues on the
  /// ``ServiceBusEmulator`` and the worker plans from it.
  @Suite struct ItineraryServiceBusTests {
    func prepared(_ emulator: ServiceBusEmulator, connectionString: String? = nil) async throws
      -> (TestService, ItineraryService, tripID: Int64, token: String)
    {
      let service = try await TestService(
        name: "ai-service",
        variables: [
          "SERVICEBUS_CONNECTION_STRING": connectionString ?? emulator.connectionString(),
          "AI_SERVICEBUS_LOCK_SECONDS": "3",
        ])
      let owner = try service.userID("member1@tripgen.dev")
      let trip = try #require(
        Int64(
          try service.query(
            """
            INSERT INTO trips (user_id, destination_id, title, start_date, end_date)
            VALUES (\(owner), 1, 'Seoul', '2026-04-01', '2026-04-03') RETURNING id
            """
          ).first ?? ""))
      var settings = ItineraryWorker.Settings()
      settings.lease = .seconds(3)
      settings.retryBackoff = .zero
      let itinerary = try ItineraryService(environment: service.environment, settings: settings)
      return (service, itinerary, trip, try await service.token(userID: owner, role: .member))
    }

    func migrate(_ service: TestService) async throws {
      for migration in ItineraryService.migrations {
        try await migration.apply(to: service.environment.database)
      }
    }

    @Test func theConnectionStringSelectsServiceBus() async throws {
      let emulator = try ServiceBusEmulator()
      let (_, itinerary, _, _) = try await prepared(emulator)
      #expect(itinerary.queue is ServiceBusJobQueue)
      let (_, withoutBus, _, _) = try await ItineraryAPITests().prepared()
      #expect(withoutBus.queue is PostgresJobQueue)
    }

    @Test func aWorkerKilledMidJobLeavesItForTheNextOne() async throws {
      try await offThePool {
        let emulator = try ServiceBusEmulator(lockDuration: .seconds(3))
        let (service, itinerary, trip, token) = try await prepared(emulator)
        try await service.test(routes: itinerary.addRoutes(to:environment:)) { client in
          try await migrate(service)
          let job = try await client.execute(
            uri: "/api/v1/itineraries", method: .post, headers: headers(token: token),
            body: jsonBody(#"{"tripId": \#(trip)}"#)
          ) { response in
            #expect(response.status == .accepted)
            return try response.body.json(ItineraryJobResource.self)
          }
          #expect(emulator.messageCount == 1)
          // A first worker takes the message and dies without completing or abandoning it.
          let dying = try ServiceBusQueueTests.queue(emulator)
          let taken = try #require(try await dying.receive(lease: .seconds(3)))
          #expect(taken.body.contains(job.jobId))
          #expect(try await !itinerary.worker.processNext(), "locked by the dead worker")
          try await Task.sleep(for: .milliseconds(3300))
          #expect(try await itinerary.worker.processNext(), "redelivered once the lock expired")
          try await client.execute(
            uri: "/api/v1/itineraries/\(job.jobId)", method: .get, headers: headers(token: token)
          ) { response in
            let done = try response.body.json(ItineraryJobResource.self)
            #expect(done.status == .succeeded)
            #expect(done.days?.count == 3)
          }
        }
        #expect(emulator.messageCount == 0, "completed: deleted from the queue")
        #expect(emulator.rejectedCount == 0)
      }
    }

    @Test func aRefusedKeyFailsTheRequestWithoutLeakingIt() async throws {
      let emulator = try ServiceBusEmulator()
      let wrongKey = ServiceBusEmulator.randomKey()
      let (service, itinerary, trip, token) = try await prepared(
        emulator, connectionString: emulator.connectionString(key: wrongKey))
      try await service.test(routes: itinerary.addRoutes(to:environment:)) { client in
        try await migrate(service)
        try await client.execute(
          uri: "/api/v1/itineraries", method: .post, headers: headers(token: token),
          body: jsonBody(#"{"tripId": \#(trip)}"#)
        ) { response in
          #expect(response.status == .internalServerError)
          #expect(!String(buffer: response.body).contains(wrongKey))
        }
        await #expect(throws: ServiceBusError.self) { try await itinerary.worker.processNext() }
      }
      #expect(emulator.rejectedCount >= 2)
      #expect(!service.logLines.isEmpty)
      for line in service.logLines {
        #expect(!line.contains(wrongKey) && !line.contains(emulator.key) && !line.contains("sig="))
      }
    }
  }
}
