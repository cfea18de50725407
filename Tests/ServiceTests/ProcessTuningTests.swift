import Foundation
import ServiceKit
import TestSupport
import Testing

extension ServiceTests {
  /// The idle-memory settings of ``ProcessTuning``, seen from outside a real service process.
  @Suite struct ProcessTuningTests {
    /// The names of the event loop threads of process `pid`: NIO names its singleton group's threads
    /// `NIO-SGLTN-<group>-#<n>`.
    static func eventLoopThreads(of pid: pid_t) throws -> [String] {
      let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
      return tasks.compactMap { task in
        (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8))?
          .trimmingCharacters(in: .whitespacesAndNewlines)
      }.filter { $0.hasPrefix("NIO-SGLTN") }
    }

    /// Starts user-service with `variables`, waits until it is ready, and returns its event loop
    /// threads.
    static func eventLoopThreads(variables: [String: String]) async throws -> [String] {
      let backends = try Backends.get()
      let redis = try RedisServer()
      let port = try FreePort.pick()
      let logs = try TemporaryDirectory(prefix: "user-service")
      var environment = [
        "PATH": "/usr/bin:/bin", "HOST": "127.0.0.1", "PORT": String(port),
        "DB_PORT": String(backends.postgres.port), "DB_NAME": try backends.freshDatabase(),
        "REDIS_PORT": String(redis.port), "REDIS_PASSWORD": redis.password,
        "JWT_SECRET": TestService.jwtSecret,
      ]
      environment.merge(variables) { $1 }
      let process = try SpawnedProcess(
        [try ServiceProcessTests.executable("user-service")], environment: environment,
        outputPath: logs.file("out").path)
      defer { process.stop() }
      var ready = false
      for _ in 0..<200 where !ready {
        ready = try Command.run([
          "curl", "-fs", "http://127.0.0.1:\(port)/actuator/health/readiness",
        ]).succeeded
        if !ready { try await Task.sleep(for: .milliseconds(50)) }
      }
      try #require(
        ready, "not ready: \((try? String(contentsOf: logs.file("out"), encoding: .utf8)) ?? "")")
      return try eventLoopThreads(of: process.pid)
    }

    @Test func oneEventLoopThreadByDefault() async throws {
      #expect(try await Self.eventLoopThreads(variables: [:]).count == 1)
    }

    @Test func eventLoopThreadsCanBeRaised() async throws {
      #expect(try await Self.eventLoopThreads(variables: ["EVENT_LOOP_THREADS": "3"]).count == 3)
    }

    @Test func eventLoopThreadsIsCheckedAtStartUp() throws {
      #expect(throws: ConfigurationError.self) {
        try ServiceConfiguration(
          source: ConfigurationSource(
            environment: ["JWT_SECRET": TestService.jwtSecret, "EVENT_LOOP_THREADS": "0"],
            secretsDirectory: "/none"),
          defaultServiceName: "user-service")
      }
    }

    @Test func mallocArenasAreLimitedUnlessTheEnvironmentSaysOtherwise() {
      #expect(!ProcessTuning.limitMallocArenas(to: 2, environment: ["MALLOC_ARENA_MAX": "4"]))
      #expect(ProcessTuning.limitMallocArenas(to: 2, environment: [:]))
    }
  }
}
