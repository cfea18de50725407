import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A real Redis server (Debian's `redis-server`) started for a test on 127.0.0.1 and an ephemeral port,
/// memory only (`--save "" --appendonly no`), with a password (`requirepass`) as in the cluster.
///
/// Spawned as a ``SpawnedProcess`` (posix_spawn), not Foundation's Process, so the child can be killed
/// and reaped from any thread, including async code.
public final class RedisServer: @unchecked Sendable {
  public let port: Int
  public let password: String
  private let directory: TemporaryDirectory
  private var process: SpawnedProcess?

  public enum LaunchError: Error, CustomStringConvertible {
    case notInstalled
    case failed(String)

    public var description: String {
      switch self {
      case .notInstalled:
        return "redis-server is not installed (/usr/bin/redis-server): run scripts/setup"
      case .failed(let why): return "redis-server did not start: \(why)"
      }
    }
  }

  /// Starts the server; returns once it answers PING.
  public init(password: String = "redis-test-password") throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/redis-server") else {
      throw LaunchError.notInstalled
    }
    self.password = password
    directory = try TemporaryDirectory(prefix: "redis")
    port = try FreePort.pick()
    try start()
  }

  /// Stops the server (SIGTERM, then waits for it). Also done when the value is released.
  public func stop() {
    process?.stop()
    process = nil
  }

  /// Starts the server again on the same port after ``stop()``.
  public func restart() throws {
    stop()
    try start()
  }

  deinit { stop() }

  private func start() throws {
    let log = directory.file("redis.log").path
    let arguments = [
      "/usr/bin/redis-server", "--bind", "127.0.0.1", "--port", String(port), "--save", "",
      "--appendonly", "no", "--requirepass", password, "--dir", directory.path, "--logfile", log,
      "--daemonize", "no",
    ]
    process = try SpawnedProcess(
      arguments, environment: ProcessInfo.processInfo.environment, outputPath: "/dev/null")
    let deadline = Date.now.addingTimeInterval(15)
    while Date.now < deadline {
      let result = try Command.run([
        "redis-cli", "--no-auth-warning", "-h", "127.0.0.1", "-p", String(port), "-a", password,
        "PING",
      ])
      if result.standardOutput.contains("PONG") { return }
      usleep(50_000)
    }
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    stop()
    throw LaunchError.failed("no PONG within 15 s: \(text)")
  }
}
