import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A real Redis server (Debian's `redis-server`) started for a test on 127.0.0.1 and an ephemeral port,
/// memory only (`--save "" --appendonly no`), with a password (`requirepass`) as in the cluster.
///
/// Spawned with posix_spawn, like ``Command``, and not Foundation's Process, so the child can be killed
/// and reaped from any thread, including async code.
public final class RedisServer: @unchecked Sendable {
  public let port: Int
  public let password: String
  private let directory: TemporaryDirectory
  private var pid: pid_t = 0

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
    port = try freeLoopbackPort()
    try start()
  }

  /// Stops the server (SIGTERM, then waits for it). Also done when the value is released.
  public func stop() {
    guard pid > 0 else { return }
    kill(pid, SIGTERM)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    pid = 0
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
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // The test process blocks or ignores signals (swift-service-lifecycle ignores SIGTERM to watch it
    // with a dispatch source); a spawned child would inherit that and never stop on SIGTERM.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = arguments.map { strdup($0) } + [nil]
    defer {
      for argument in argv { free(argument) }
    }
    let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
    guard spawned == 0 else { throw LaunchError.failed(String(cString: strerror(spawned))) }
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
