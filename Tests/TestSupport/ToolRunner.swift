import Foundation

/// Runs command-line tools (openssl, nginx) for the test support code.
public enum ToolRunner {
  /// Runs `executable` with `arguments` in `directory`, waits, and returns its combined output;
  /// a non-zero exit is an error that quotes the output.
  @discardableResult
  public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil)
    throws -> String
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      throw TestSupportError.toolFailed(
        command: ([executable] + arguments).joined(separator: " "),
        status: process.terminationStatus, output: text)
    }
    return text
  }
}
