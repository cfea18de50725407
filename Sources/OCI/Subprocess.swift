import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a program with its standard output and error merged into one pipe, handing each line to a
/// callback as it arrives (a long `swift build` shows its progress live). Blocking: call it off the
/// cooperative pool.
enum Subprocess {
  struct Outcome {
    var status: Int32
    /// The last lines of output, for error messages.
    var lastLines: [String]
  }

  /// A running child that another thread may ask to stop (when the task waiting for it is cancelled).
  final class Handle: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: pid_t?
    private var stopRequested = false

    init() {}

    /// Sends SIGTERM to the child now, or as soon as it has started.
    func terminate() {
      lock.withLock {
        stopRequested = true
        if let pid { kill(pid, SIGTERM) }
      }
    }

    func started(_ pid: pid_t) {
      lock.withLock {
        self.pid = pid
        if stopRequested { kill(pid, SIGTERM) }
      }
    }

    func finished() { lock.withLock { pid = nil } }

    var wasTerminated: Bool { lock.withLock { stopRequested } }
  }

  /// Runs `arguments` (the first looked up on PATH) in `directory`.
  static func run(
    _ arguments: [String], directory: String? = nil, keepLines: Int = 30, handle: Handle? = nil,
    onLine: (String) -> Void
  ) throws(OCIError) -> Outcome {
    var pipeEnds: [Int32] = [0, 0]
    guard pipe(&pipeEnds) == 0 else {
      throw .fileSystem(path: "pipe", operation: "create", reason: lastErrorText())
    }
    // Close-on-exec, so children other threads spawn later do not inherit the write end and keep the
    // pipe open after this child exits (dup2 into 1 and 2 clears the flag there). pipe2, which
    // would set it atomically, is not in Swift's Glibc module.
    for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
    posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
    // The child starts with no signals blocked and the usual dispositions, whatever the spawning
    // thread has (Dispatch and runtime threads block some): SIGTERM must be able to stop it.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    // GNU env looks the program up on PATH and, with -C, changes directory first.
    let changeDirectory = directory.map { ["-C", $0] } ?? []
    let argv = (["/usr/bin/env"] + changeDirectory + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, environ)
    close(writeEnd)
    guard spawned == 0 else {
      close(readEnd)
      throw .commandFailed(
        command: arguments.joined(separator: " "), status: -1,
        lastLines: [String(cString: strerror(spawned))])
    }
    handle?.started(pid)

    var lastLines: [String] = []
    var pending: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 << 10)
    func deliver(_ line: [UInt8]) {
      let text = String(decoding: line, as: UTF8.self)
      onLine(text)
      lastLines.append(text)
      if lastLines.count > keepLines { lastLines.removeFirst() }
    }
    while true {
      let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      pending += buffer[0..<count]
      while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
        deliver(Array(pending[..<newline]))
        pending.removeSubrange(...newline)
      }
    }
    if !pending.isEmpty { deliver(pending) }
    close(readEnd)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    handle?.finished()
    // WIFEXITED / WEXITSTATUS, spelled out: Swift does not import the C macros.
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    // env exits 127 when it cannot find the program.
    if exitStatus == 127, lastLines.last?.contains("No such file or directory") == true {
      throw .commandNotFound(arguments[0])
    }
    return Outcome(status: exitStatus, lastLines: lastLines)
  }
}
