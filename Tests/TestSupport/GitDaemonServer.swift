import Foundation

/// `git daemon` serving the bare repositories under a directory over git:// on 127.0.0.1.
public final class GitDaemonServer: @unchecked Sendable {
  /// The port it listens on.
  public let port: Int
  private let process: ServerProcess

  /// Starts `git daemon --export-all --base-path=<root>` on an ephemeral loopback port.
  public init(root: String, logDirectory: TemporaryDirectory) throws {
    port = try FreePort.pick()
    // The daemon binary itself rather than the `git daemon` wrapper, so that stopping the process
    // stops the server.
    let execPath = try GitTestProcess.run("/usr/bin/git", ["--exec-path"])
      .trimmingCharacters(in: .whitespacesAndNewlines)
    process = try GitTestProcess.startServer(
      name: "git daemon", executable: execPath + "/git-daemon",
      arguments: [
        "--reuseaddr", "--export-all", "--base-path=\(root)", "--listen=127.0.0.1",
        "--port=\(port)", "--informative-errors",
      ],
      port: port, log: logDirectory.file("git-daemon.log"))
  }

  /// The git:// URL of a repository under the root (`org/repo.git`).
  public func url(_ repository: String) -> String { "git://127.0.0.1:\(port)/\(repository)" }

  /// Stops the daemon.
  public func stop() { process.stop() }

  deinit { stop() }
}
