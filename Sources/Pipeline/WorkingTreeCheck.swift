import Blocking
import Foundation

/// `swift build` compiles the work tree, while tags come from the commit: a service whose source
/// paths have uncommitted changes would get an image that its tag does not describe. This finds
/// those paths (with `git status`, which knows the index and ignore rules) so the run can say so.
enum WorkingTreeCheck {
  /// The paths among `paths` with uncommitted changes; empty when git is not installed.
  static func uncommittedChanges(in repository: String, paths: [String]) async -> [String] {
    await offPool { () -> [String] in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
      process.arguments = ["-C", repository, "status", "--porcelain", "--"] + paths
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = FileHandle.nullDevice
      do { try process.run() } catch { return [] }
      let output = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else { return [] }
      return String(decoding: output, as: UTF8.self).split(separator: "\n").map {
        String($0.dropFirst(3))
      }
    }
  }
}
