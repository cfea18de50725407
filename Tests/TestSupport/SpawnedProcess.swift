import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A long-running child process for a test (a server, or a built service), spawned with posix_spawn so
/// it can be signalled and reaped from any thread, with its output in a file.
///
/// The child gets default signal dispositions and an empty signal mask: the test process ignores or
/// blocks some signals (swift-service-lifecycle ignores SIGTERM to watch it with a dispatch source), and
/// a child inheriting that would never stop on SIGTERM.
public final class SpawnedProcess: @unchecked Sendable {
  public let pid: pid_t
  private var exitStatus: Int32?

  public struct Failure: Error, CustomStringConvertible {
    public let executable: String
    public let reason: String
    public var description: String { "could not start \(executable): \(reason)" }

    public init(executable: String, reason: String) {
      self.executable = executable
      self.reason = reason
    }
  }

  /// Starts `arguments[0]` (an absolute path) with exactly `environment`, output to `outputPath`.
  public init(_ arguments: [String], environment: [String: String], outputPath: String) throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
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
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
    guard spawned == 0 else {
      throw Failure(executable: arguments[0], reason: String(cString: strerror(spawned)))
    }
    self.pid = pid
  }

  /// Sends `signal` (SIGTERM by default).
  public func signal(_ signal: Int32 = SIGTERM) {
    if exitStatus == nil { kill(pid, signal) }
  }

  /// Waits for the process to end; its exit status, or 128 + the signal that ended it.
  @discardableResult
  public func wait() -> Int32 {
    if let exitStatus { return exitStatus }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let result = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    exitStatus = result
    return result
  }

  /// Whether the process has ended (without waiting).
  public var hasExited: Bool {
    if exitStatus != nil { return true }
    var status: Int32 = 0
    guard waitpid(pid, &status, WNOHANG) == pid else { return false }
    exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return true
  }

  /// Stops the process (SIGTERM, then SIGKILL after `grace`) and reaps it.
  public func stop(grace: TimeInterval = 10) {
    guard !hasExited else { return }
    kill(pid, SIGTERM)
    let deadline = Date.now.addingTimeInterval(grace)
    while !hasExited && Date.now < deadline { usleep(20_000) }
    if !hasExited { kill(pid, SIGKILL) }
    wait()
  }

  deinit { stop() }
}
