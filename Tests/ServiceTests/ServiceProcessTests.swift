import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension ServiceTests {
  /// The built `user-service` executable (SwiftPM puts it next to the test bundle), run as the chart
  /// runs it: configuration from the environment, SIGTERM to stop.
  @Suite struct ServiceProcessTests {
    static func executable(_ name: String) throws -> String {
      let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent()
      let path = directory.appendingPathComponent(name).path
      try #require(
        FileManager.default.isExecutableFile(atPath: path), "build the package first: \(path)")
      return path
    }

    @Test func missingConfigurationStopsStartUpNamingTheSetting() throws {
      let logs = try TemporaryDirectory(prefix: "user-service")
      let process = try SpawnedProcess(
        [try Self.executable("user-service")], environment: ["PATH": "/usr/bin:/bin"],
        outputPath: logs.file("out").path)
      #expect(process.wait() == 78)
      let output = try String(contentsOf: logs.file("out"), encoding: .utf8)
      #expect(output.contains("JWT_SECRET is required"))
      #expect(output.hasPrefix("{"), "a JSON log line")
    }

    @Test func sigtermFinishesRequestsInFlightThenExits() async throws {
      let backends = try Backends.get()
      let database = try backends.freshDatabase()
      let redis = try RedisServer()
      let port = try FreePort.pick()
      let logs = try TemporaryDirectory(prefix: "user-service")
      let process = try SpawnedProcess(
        [try Self.executable("user-service")],
        environment: [
          "PATH": "/usr/bin:/bin", "HOST": "127.0.0.1", "PORT": String(port),
          "DB_PORT": String(backends.postgres.port), "DB_NAME": database,
          "REDIS_PORT": String(redis.port), "REDIS_PASSWORD": redis.password,
          "JWT_SECRET": TestService.jwtSecret,
        ],
        outputPath: logs.file("out").path)
      defer { process.stop() }
      let base = "http://127.0.0.1:\(port)"
      var ready = false
      for _ in 0..<200 where !ready {
        ready = try Command.run(["curl", "-fs", "\(base)/actuator/health/readiness"]).succeeded
        if !ready { try await Task.sleep(for: .milliseconds(50)) }
      }
      let startupLog = (try? String(contentsOf: logs.file("out"), encoding: .utf8)) ?? ""
      try #require(ready, "not ready: \(startupLog)")

      // Logins cost 210,000 PBKDF2 iterations each: several at once are still running when SIGTERM
      // arrives, and must all be answered.
      let login = [
        "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
        "Content-Type: application/json",
        "-d", #"{"email": "member1@tripgen.dev", "password": "tripgen-dev-password"}"#,
        "\(base)/api/v1/auth/login",
      ]
      let statuses = try await withThrowingTaskGroup(of: String.self) { group in
        for _ in 0..<4 {
          group.addTask {
            try await withCheckedThrowingContinuation { continuation in
              DispatchQueue.global().async {
                continuation.resume(with: Result { try Command.run(login).standardOutput })
              }
            }
          }
        }
        try await Task.sleep(for: .milliseconds(150))
        process.signal(SIGTERM)
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(statuses == ["200", "200", "200", "200"])
      #expect(process.wait() == 0)
      #expect(try !Command.run(["curl", "-fs", "\(base)/actuator/health/liveness"]).succeeded)
    }
  }
}
