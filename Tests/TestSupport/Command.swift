import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a program for a test (fixtures and reference tools may be run as commands; the product may not).
///
/// Built on posix_spawn (`Spawn`) and waitpid rather than Foundation's Process, whose exit detection can
/// miss a child that leaves a daemon behind (pg_ctl, nginx), and with output going to files, so a
/// chatty command can never block on a full pipe and a daemon holding the output open cannot hang a test.
public enum Command {
  /// What a finished command returned.
  public struct Result: Sendable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String
    public var succeeded: Bool { status == 0 }
  }

  public struct Failure: Error, CustomStringConvertible {
    public let arguments: [String]
    public let result: Result
    public var description: String {
      "`\(arguments.joined(separator: " "))` exited with \(result.status): "
        + "\(result.standardOutput)\(result.standardError)"
    }
  }

  /// Runs `arguments` (the first looked up on PATH) to completion and returns its status and output.
  @discardableResult
  public static func run(
    _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
    input: Data? = nil
  ) throws -> Result {
    let scratch = try TemporaryDirectory(prefix: "command")
    let inputFile = scratch.file("stdin")
    let outputFile = scratch.file("stdout")
    let errorFile = scratch.file("stderr")
    try (input ?? Data()).write(to: inputFile)

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inputFile.path, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(
      &actions, 1, outputFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(
      &actions, 2, errorFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

    // GNU env's -C changes directory before it runs the command, which env looks up on PATH.
    let changeDirectory = directory.map { ["-C", $0.path] } ?? []
    let pid: pid_t
    do {
      pid = try Spawn.start(
        "/usr/bin/env", changeDirectory + arguments, environment: environment, actions: &actions)
    } catch {
      throw Failure(
        arguments: arguments,
        result: Result(status: -1, standardOutput: "", standardError: error.description))
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS, spelled out: Swift does not import the C macros.
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return Result(
      status: exitStatus,
      standardOutput: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
      standardError: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
  }

  /// Runs `arguments` and throws when the command fails.
  @discardableResult
  public static func check(
    _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
    input: Data? = nil
  ) throws -> Result {
    let result = try run(arguments, environment: environment, directory: directory, input: input)
    guard result.succeeded else { throw Failure(arguments: arguments, result: result) }
    return result
  }
}
