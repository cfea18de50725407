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

    /// How many established TCP connections (IPv4) have `port` as their local port, from
    /// /proc/net/tcp: the server's side of its clients' connections.
    static func establishedConnections(port: Int) -> Int {
      guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else {
        return 0
      }
      let localPort = ":" + String(format: "%04X", port)
      return table.split(separator: "\n").dropFirst().filter { line in
        let fields = line.split(separator: " ")
        return fields.count > 3 && fields[1].hasSuffix(localPort) && fields[3] == "01"
      }.count
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
        // SIGTERM once the four connections are open (a fixed pause let a curl that started late
        // on a loaded machine find the listener closed), plus a moment for the requests to be read.
        for _ in 0..<200 where Self.establishedConnections(port: port) < 4 {
          try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(50))
        process.signal(SIGTERM)
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(statuses == ["200", "200", "200", "200"])
      #expect(process.wait() == 0)
      #expect(try !Command.run(["curl", "-fs", "\(base)/actuator/health/liveness"]).succeeded)
    }
  }
}
