import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Errors from the Git test fixtures and server launchers; each names the command or server and what
/// it printed.
public enum GitTestSupportError: Error, CustomStringConvertible {
  case commandFailed(command: String, status: Int32, output: String)
  case serverDidNotStart(name: String, port: Int, log: String)
  case missingTool(String, hint: String)

  public var description: String {
    switch self {
    case .commandFailed(let command, let status, let output):
      return "`\(command)` exited with status \(status): \(output)"
    case .serverDidNotStart(let name, let port, let log):
      return "\(name) did not accept connections on 127.0.0.1:\(port) within 10 s; its log: \(log)"
    case .missingTool(let tool, let hint):
      return "\(tool) is not installed: \(hint)"
    }
  }
}

/// Running fixture commands and long-lived servers for the Git tests.
public enum GitTestProcess {
  /// Runs a command to completion and returns its standard output; a non-zero exit is an error that
  /// includes what it printed.
  @discardableResult
  public static func run(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    environment: [String: String] = [:], input: Data? = nil
  ) throws -> String {
    try Command.check(
      [executable] + arguments, environment: environment,
      directory: directory.map { URL(fileURLWithPath: $0) }, input: input
    ).standardOutput
  }

  /// Starts a server process with its output in `log`, and waits until it accepts connections on
  /// `port` (or exits, or 10 s pass).
  public static func startServer(
    name: String, executable: String, arguments: [String], port: Int, log: URL,
    environment: [String: String] = [:]
  ) throws -> ServerProcess {
    let server = try ServerProcess(
      name: name, executable: executable, arguments: arguments, log: log, environment: environment)
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
      if FreePort.isAccepting(port) { return server }
      if !server.isRunning { break }
      usleep(20_000)
    }
    server.stop()
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    throw GitTestSupportError.serverDidNotStart(name: name, port: port, log: text)
  }
}

/// A server process started with `Spawn` (every signal unblocked, its own process group), so that
/// stopping it reliably ends it and the workers it forked.
public final class ServerProcess: @unchecked Sendable {
  /// The server's process id.
  public let pid: pid_t
  private let name: String
  private let lock = NSLock()
  private var exited = false

  init(
    name: String, executable: String, arguments: [String], log: URL, environment: [String: String]
  ) throws {
    self.name = name
    guard FileManager.default.isExecutableFile(atPath: executable) else {
      throw GitTestSupportError.missingTool(
        executable, hint: "run scripts/setup (scripts/packages.txt)")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let child = try Spawn.start(
      executable, arguments, environment: environment, actions: &actions, newProcessGroup: true)
    pid = child
  }

  /// Whether the process has not exited yet (reaps it when it has).
  public var isRunning: Bool {
    lock.lock()
    defer { lock.unlock() }
    if exited { return false }
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == pid { exited = true }
    return !exited
  }

  /// Sends SIGTERM to the server's process group, waits up to 5 s, then sends SIGKILL; reaps it.
  public func stop() {
    guard isRunning else { return }
    kill(-pid, SIGTERM)
    let deadline = ContinuousClock.now + .seconds(5)
    while isRunning, ContinuousClock.now < deadline { usleep(10_000) }
    if isRunning {
      kill(-pid, SIGKILL)
      while isRunning { usleep(10_000) }
    }
  }

  deinit { stop() }
}
