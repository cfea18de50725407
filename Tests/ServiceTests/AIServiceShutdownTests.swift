import Foundation
import ServiceKit
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension ServiceTests {
  /// The built `ai-service` executable stopped by SIGTERM while its worker plans a job. The model
  /// call goes to a stand-in OpenAI endpoint (``TestHTTPServer``) that answers slowly, so the job is
  /// in progress when the signal arrives.
  @Suite struct AIServiceShutdownTests {
    /// A running ai-service and what the test needs to reach it.
    struct RunningService {
      let process: SpawnedProcess
      let redis: RedisServer
      let base: String
      let logs: TemporaryDirectory
      var log: String { (try? String(contentsOf: logs.file("out"), encoding: .utf8)) ?? "" }
    }

    static func start(database: String, variables: [String: String]) async throws
      -> RunningService
    {
      let backends = try Backends.get()
      let redis = try RedisServer()
      let port = try FreePort.pick()
      let logs = try TemporaryDirectory(prefix: "ai-service")
      var environment = [
        "PATH": "/usr/bin:/bin", "HOST": "127.0.0.1", "PORT": String(port),
        "DB_PORT": String(backends.postgres.port), "DB_NAME": database,
        "REDIS_PORT": String(redis.port), "REDIS_PASSWORD": redis.password,
        "JWT_SECRET": TestService.jwtSecret, "LOG_LEVEL_APPLICATION": "DEBUG",
      ]
      environment.merge(variables) { $1 }
      let process = try SpawnedProcess(
        [try ServiceProcessTests.executable("ai-service")], environment: environment,
        outputPath: logs.file("out").path)
      let service = RunningService(
        process: process, redis: redis, base: "http://127.0.0.1:\(port)", logs: logs)
      var ready = false
      for _ in 0..<200 where !ready {
        ready = try Command.run(["curl", "-fs", "\(service.base)/actuator/health/readiness"])
          .succeeded
        if !ready { try await Task.sleep(for: .milliseconds(50)) }
      }
      try #require(ready, "not ready: \(service.log)")
      return service
    }

    /// A trip of member1's in `database`, and an access token for member1.
    static func trip(in database: String) async throws -> (id: Int64, token: String) {
      let postgres = try Backends.get().postgres
      let owner = try #require(
        Int64(
          try postgres.query(
            "SELECT id FROM users WHERE email = 'member1@tripgen.dev'", database: database
          ).first ?? ""))
      let trip = try #require(
        Int64(
          try postgres.query(
            """
            INSERT INTO trips (user_id, destination_id, title, start_date, end_date)
            VALUES (\(owner), 1, 'Seoul', '2026-04-01', '2026-04-02') RETURNING id
            """, database: database
          ).first ?? ""))
      let tokens = await TokenService(secret: TestService.jwtSecret)
      let token = try await tokens.issue(for: Identity(userID: owner, role: .member)).accessToken
      return (trip, token)
    }

    /// Queues a job through the API (retrying while the service's migrations finish); its id.
    static func submit(_ service: RunningService, trip: Int64, token: String) async throws
      -> String
    {
      for _ in 0..<100 {
        let result = try Command.run([
          "curl", "-s", "-w", "\n%{http_code}", "-H", "Content-Type: application/json",
          "-H", "Authorization: Bearer \(token)", "-d", #"{"tripId": \#(trip)}"#,
          "\(service.base)/api/v1/itineraries",
        ])
        let lines = result.standardOutput.split(separator: "\n")
        if lines.last == "202", let body = lines.first,
          let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
          let id = object["jobId"] as? String
        {
          return id
        }
        try await Task.sleep(for: .milliseconds(50))
      }
      Issue.record("the job was not accepted: \(service.log)")
      throw CancellationError()
    }

    /// Waits until the stand-in model endpoint has been called: the job is in progress.
    static func waitForModelCall(_ openAI: TestHTTPServer) async throws {
      for _ in 0..<200 where openAI.requests.isEmpty {
        try await Task.sleep(for: .milliseconds(25))
      }
      try #require(!openAI.requests.isEmpty, "the worker never called the model")
    }

    /// SIGTERM, then the exit status and how long the process took to exit.
    static func terminate(_ service: RunningService) async throws -> (Int32, Duration) {
      let clock = ContinuousClock()
      let start = clock.now
      service.process.signal(SIGTERM)
      while !service.process.hasExited && clock.now - start < .seconds(30) {
        try await Task.sleep(for: .milliseconds(20))
      }
      try #require(service.process.hasExited, "still running 30 s after SIGTERM: \(service.log)")
      return (service.process.wait(), clock.now - start)
    }

    /// A chat completion the planner refuses (no itinerary in it), after `delay`: the planner then
    /// plans locally, so the job succeeds once the answer arrives.
    static func slowModel(delay: Duration) throws -> TestHTTPServer {
      let server = try TestHTTPServer()
      server.route("POST", "/v1/chat/completions") { _ in
        var response = TestHTTPServer.Response.text(
          #"{"choices": [{"message": {"content": "no itinerary today"}}]}"#)
        response.delay = delay
        return response
      }
      return server
    }

    @Test func sigtermLetsTheJobInProgressFinishWithinTheGrace() async throws {
      try await offThePool {
        let database = try Backends.get().freshDatabase()
        let openAI = try Self.slowModel(delay: .milliseconds(1500))
        defer { openAI.shutdown() }
        let service = try await Self.start(
          database: database,
          variables: [
            "OPENAI_API_KEY": "sk-test-key",
            "OPENAI_BASE_URL": "http://127.0.0.1:\(openAI.port)/v1",
            "AI_SHUTDOWN_GRACE_SECONDS": "15",
          ])
        defer { service.process.stop() }
        let (trip, token) = try await Self.trip(in: database)
        let job = try await Self.submit(service, trip: trip, token: token)
        try await Self.waitForModelCall(openAI)

        let (status, elapsed) = try await Self.terminate(service)
        #expect(status == 0, "\(service.log)")
        #expect(elapsed < .seconds(10), "exited \(elapsed) after SIGTERM")
        #expect(elapsed >= .milliseconds(500), "it waited for the job's model call")
        let postgres = try Backends.get().postgres
        #expect(
          try postgres.query(
            "SELECT status || ' ' || attempts FROM itinerary_jobs WHERE id = '\(job)'",
            database: database) == ["succeeded 1"])
        #expect(
          try postgres.query(
            "SELECT count(*) FROM trip_days WHERE trip_id = \(trip)", database: database) == ["2"])
        #expect(
          try postgres.query("SELECT count(*) FROM job_queue", database: database) == ["0"],
          "the message was completed")
        #expect(service.log.contains("itinerary worker stopped"))
      }
    }

    @Test func sigtermLeavesAJobThatOutlastsTheGraceForRedelivery() async throws {
      try await offThePool {
        let database = try Backends.get().freshDatabase()
        let openAI = try Self.slowModel(delay: .seconds(60))
        defer { openAI.shutdown() }
        let service = try await Self.start(
          database: database,
          variables: [
            "OPENAI_API_KEY": "sk-test-key",
            "OPENAI_BASE_URL": "http://127.0.0.1:\(openAI.port)/v1",
            "AI_SHUTDOWN_GRACE_SECONDS": "1",
          ])
        defer { service.process.stop() }
        let (trip, token) = try await Self.trip(in: database)
        let job = try await Self.submit(service, trip: trip, token: token)
        try await Self.waitForModelCall(openAI)

        let (status, elapsed) = try await Self.terminate(service)
        #expect(status == 0, "\(service.log)")
        #expect(elapsed < .seconds(6), "exited \(elapsed) after SIGTERM; the model call takes 60 s")
        #expect(service.log.contains("job interrupted by shutdown; left for redelivery"))
        let postgres = try Backends.get().postgres
        // Not acknowledged: the message is still queued, unlocked and visible now; the job is not
        // marked failed.
        #expect(
          try postgres.query(
            """
            SELECT delivery_count || ' ' || (lock_token IS NULL) || ' ' || (visible_at <= now())
            FROM job_queue
            """, database: database) == ["1 true true"])
        #expect(
          try postgres.query(
            "SELECT status FROM itinerary_jobs WHERE id = '\(job)'", database: database)
            == ["running"])

        // The next instance (no model configured) takes the message again and finishes the job.
        let next = try await Self.start(database: database, variables: [:])
        defer { next.process.stop() }
        var outcome: [String] = []
        for _ in 0..<200 {
          outcome = try postgres.query(
            "SELECT status || ' ' || attempts || ' ' || planner FROM itinerary_jobs "
              + "WHERE id = '\(job)' AND status = 'succeeded'", database: database)
          if !outcome.isEmpty { break }
          try await Task.sleep(for: .milliseconds(50))
        }
        #expect(outcome == ["succeeded 2 local"], "\(next.log)")
        #expect(try postgres.query("SELECT count(*) FROM job_queue", database: database) == ["0"])
        let (nextStatus, _) = try await Self.terminate(next)
        #expect(nextStatus == 0)
      }
    }
  }
}
