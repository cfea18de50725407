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

  /// Runs `arguments` (the first looked up on PATH) in `directory`.
  static func run(
    _ arguments: [String], directory: String? = nil, keepLines: Int = 30,
    onLine: (String) -> Void
  ) throws(OCIError) -> Outcome {
    var pipeEnds: [Int32] = [0, 0]
    guard pipe(&pipeEnds) == 0 else {
      throw .fileSystem(path: "pipe", operation: "create", reason: lastErrorText())
    }
    let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
    posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
    posix_spawn_file_actions_addclose(&actions, readEnd)
    posix_spawn_file_actions_addclose(&actions, writeEnd)
    // GNU env looks the program up on PATH and, with -C, changes directory first.
    let changeDirectory = directory.map { ["-C", $0] } ?? []
    let argv = (["/usr/bin/env"] + changeDirectory + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
    close(writeEnd)
    guard spawned == 0 else {
      close(readEnd)
      throw .commandFailed(
        command: arguments.joined(separator: " "), status: -1,
        lastLines: [String(cString: strerror(spawned))])
    }

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
    // WIFEXITED / WEXITSTATUS, spelled out: Swift does not import the C macros.
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    // env exits 127 when it cannot find the program.
    if exitStatus == 127, lastLines.last?.contains("No such file or directory") == true {
      throw .commandNotFound(arguments[0])
    }
    return Outcome(status: exitStatus, lastLines: lastLines)
  }
}
