import Foundation

/// Runs command-line tools (openssl, nginx) for the test support code.
public enum ToolRunner {
  /// Runs `executable` with `arguments` in `directory` and returns its combined output; a
  /// non-zero exit is an error that quotes the output. The caller's task suspends while the tool
  /// runs, so no thread of Swift's cooperative pool waits on it.
  @discardableResult
  public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil)
    async throws -> String
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    // Output goes to a file rather than a pipe: nothing has to read while the tool runs.
    let outputPath = FileManager.default.temporaryDirectory
      .appendingPathComponent("tripgen-tool-\(UUID().uuidString).log").path
    _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    process.standardOutput = output
    process.standardError = output
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
      process.terminationHandler = { process in
        continuation.resume(returning: process.terminationStatus)
      }
      do {
        try process.run()
      } catch {
        process.terminationHandler = nil
        continuation.resume(throwing: error)
      }
    }
    try? output.close()
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    guard status == 0 else {
      throw TestSupportError.toolFailed(
        command: ([executable] + arguments).joined(separator: " "), status: status, output: text)
    }
    return text
  }
}
