import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A real PostgreSQL server (Debian's `postgresql` package) started for a test on 127.0.0.1 and an
/// ephemeral port, with its data directory in a temporary folder. Trust authentication on loopback: the
/// server lives only as long as the test.
///
/// PostgreSQL refuses to run as root, so when the tests run as root (as CI does) the server runs as the
/// `postgres` user that the Debian package creates.
public final class PostgresServer: @unchecked Sendable {
  public let port: Int
  public let superuser = "postgres"
  private let directory: TemporaryDirectory
  private let binaries: URL
  private var stopped = false

  public enum LaunchError: Error, CustomStringConvertible {
    case notInstalled
    case failed(String)

    public var description: String {
      switch self {
      case .notInstalled:
        return
          "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/setup"
      case .failed(let why): return "PostgreSQL did not start: \(why)"
      }
    }
  }

  /// Creates a database cluster and starts the server; returns once it accepts connections.
  public init() throws {
    binaries = try Self.newestBinaries()
    directory = try TemporaryDirectory(prefix: "postgres")
    port = try FreePort.pick()
    if geteuid() == 0 {
      // The postgres user must own the cluster and reach it through the temporary folder.
      chmod(directory.path, 0o777)
    }
    let data = directory.file("data").path
    try runAsServerUser([
      binaries.appendingPathComponent("initdb").path, "-D", data, "-U", superuser,
      "--auth=trust", "--encoding=UTF8", "--no-sync",
    ])
    try runAsServerUser([
      binaries.appendingPathComponent("pg_ctl").path, "-D", data, "-l", directory.file("log").path,
      "-w", "-t", "60", "-o",
      "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
    ])
  }

  /// `psql` with ON_ERROR_STOP, as the data-initialisation Jobs run it, against `database`.
  /// Returns the command's result; a failing script is a result with a non-zero status, not a throw.
  public func psql(database: String, arguments: [String]) throws -> Command.Result {
    try Command.run(
      [
        "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U",
        superuser,
        "-d", database,
      ] + arguments)
  }

  /// Runs one SQL statement and returns its output rows as unaligned text (`|` between columns).
  public func query(_ sql: String, database: String) throws -> [String] {
    let result = try psql(database: database, arguments: ["-A", "-t", "-c", sql])
    guard result.succeeded else { throw LaunchError.failed(result.standardError) }
    return result.standardOutput.split(separator: "\n").map(String.init)
  }

  /// Creates an empty database.
  public func createDatabase(_ name: String) throws {
    let result = try psql(database: "postgres", arguments: ["-c", "CREATE DATABASE \"\(name)\""])
    guard result.succeeded else { throw LaunchError.failed(result.standardError) }
  }

  /// Stops the server (fast shutdown). Also done when the value is released.
  public func stop() {
    guard !stopped else { return }
    stopped = true
    _ = try? runAsServerUser([
      binaries.appendingPathComponent("pg_ctl").path, "-D", directory.file("data").path, "-m",
      "immediate",
      "-w", "stop",
    ])
  }

  deinit { stop() }

  private func runAsServerUser(_ arguments: [String]) throws {
    let command = geteuid() == 0 ? ["runuser", "-u", "postgres", "--"] + arguments : arguments
    let result = try Command.run(command)
    guard result.succeeded else {
      let log = (try? String(contentsOf: directory.file("log"), encoding: .utf8)) ?? ""
      throw LaunchError.failed("\(result.standardError)\(log)")
    }
  }

  private static func newestBinaries() throws -> URL {
    let root = URL(fileURLWithPath: "/usr/lib/postgresql")
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    guard
      let newest = versions.compactMap(Int.init).sorted().last(where: {
        FileManager.default.fileExists(atPath: "/usr/lib/postgresql/\($0)/bin/initdb")
      })
    else { throw LaunchError.notInstalled }
    return root.appendingPathComponent("\(newest)/bin")
  }
}
