import Foundation
import TestSupport

/// Writes a shell script that other processes will run.
enum ExecutableScript {
  /// Writes `script` to `path`, mode 755. The bytes are written by `install` in a process of its
  /// own: had this process the file open for writing, a child forked meanwhile by a parallel test
  /// would inherit the descriptor and running the script would fail with ETXTBSY ("Text file
  /// busy").
  static func install(_ script: String, at path: String) throws {
    let source = path + ".source"
    try Data(script.utf8).write(to: URL(fileURLWithPath: source))
    try Command.check(["install", "-m", "0755", source, path])
    try FileManager.default.removeItem(atPath: source)
  }
}
