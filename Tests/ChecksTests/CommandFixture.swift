import Dispatch
import Foundation
import TestSupport

/// A Git repository holding a copy of this repository's charts and environments, with stand-ins for
/// the services' source paths, for running the built `tripgen` on something it may change.
final class CommandFixture: Sendable {
  let directory: TemporaryDirectory
  let git: GitFixtureRepository
  var root: String { git.path }

  init() throws {
    directory = try TemporaryDirectory(prefix: "tripgen-cli")
    git = try GitFixtureRepository(at: directory.file("repo").path)
    for (path, bytes) in CheckFixtures.repositoryFiles() {
      try git.write(path, Data(bytes))
    }
    try git.write("Package.swift", "// swift-tools-version: 6.1\n")
    for source in [
      "user-service", "trip-service", "ai-service", "location-service", "UserAPI", "TripAPI",
      "ItineraryAPI", "LocationAPI", "ServiceKit", "CHiredis", "CCurl",
    ] {
      try git.write("Sources/\(source)/\(source).swift", "// \(source)\n")
    }
    _ = try git.commitAll("charts and environments")
  }

  func write(_ path: String, _ text: String) throws { try git.write(path, text) }

  func read(_ path: String) throws -> String {
    try String(contentsOfFile: root + "/" + path, encoding: .utf8)
  }

  /// Runs the built `tripgen` (SwiftPM puts it next to the test bundle) in the repository, on a
  /// Dispatch thread so waiting for it does not hold a thread of the cooperative pool.
  func tripgen(_ arguments: [String], environment: [String: String] = [:]) async throws
    -> Command.Result
  {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent().appendingPathComponent("tripgen").path
    let root = URL(fileURLWithPath: self.root)
    return try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(
          with: Result {
            try Command.run([executable] + arguments, environment: environment, directory: root)
          })
      }
    }
  }
}
