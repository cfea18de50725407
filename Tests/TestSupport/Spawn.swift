import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// posix_spawn for test commands and servers, with every signal unblocked and at its default action.
///
/// Threads of the Swift runtime block most signals, and a child spawned from them (Foundation's Process
/// included) inherits that mask: a server would then ignore SIGTERM and outlive its test.
enum Spawn {
  /// Starts `executable` with `arguments` and the current environment overlaid with `environment`,
  /// with `actions` applied to its file descriptors; in a new process group when asked, so that a
  /// signal to the group also reaches the workers a server forks. Returns the child's pid.
  static func start(
    _ executable: String, _ arguments: [String], environment: [String: String],
    actions: inout posix_spawn_file_actions_t, newProcessGroup: Bool = false
  ) throws(SpawnError) -> pid_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
    if newProcessGroup {
      posix_spawnattr_setpgroup(&attributes, 0)
      flags |= POSIX_SPAWN_SETPGROUP
    }
    posix_spawnattr_setflags(&attributes, Int16(flags))

    let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard status == 0 else { throw SpawnError(executable: executable, code: status) }
    return pid
  }
}

/// posix_spawn failed: the executable is missing or cannot run.
public struct SpawnError: Error, CustomStringConvertible {
  public let executable: String
  public let code: Int32
  public var description: String {
    "cannot start \(executable): \(String(cString: strerror(code)))"
  }
}
