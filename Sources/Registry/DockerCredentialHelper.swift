import Blocking
import Foundation

/// A `docker-credential-<name>` program, spoken to as Docker does: `get` as the argument, the
/// registry's server URL on standard input, and `{"ServerURL","Username","Secret"}` on standard
/// output. A user name of `<token>` means the secret is an identity (refresh) token.
struct DockerCredentialHelper: Sendable {
  /// The part after `docker-credential-`, as `credHelpers` and `credsStore` name it.
  let name: String
  /// The PATH to look for the program on.
  let searchPath: String

  var programName: String { "docker-credential-\(name)" }

  /// The program's answer for `serverURL`; nil when it has no credentials for it.
  func get(serverURL: String) async throws(RegistryError) -> RegistryAuthentication? {
    guard let executable = locate() else {
      throw .credentialHelperFailed(
        helper: programName, registry: serverURL, reason: "it is not on PATH")
    }
    let result = await offPool { Self.run(executable, input: serverURL) }
    let (status, output, errorOutput): (Int32, Data, Data)
    switch result {
    case .success(let finished): (status, output, errorOutput) = finished
    case .failure(let failure):
      throw .credentialHelperFailed(
        helper: programName, registry: serverURL, reason: failure.reason)
    }
    let message = String(decoding: output + errorOutput, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    guard status == 0 else {
      // The protocol's way of saying "nothing stored for this server".
      if message.contains("credentials not found") { return nil }
      let firstLine = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
      throw .credentialHelperFailed(
        helper: programName, registry: serverURL,
        reason: "it exited with status \(status)" + (firstLine.isEmpty ? "" : ": \(firstLine)"))
    }
    struct Answer: Decodable {
      var username: String
      var secret: String
      enum CodingKeys: String, CodingKey {
        case username = "Username"
        case secret = "Secret"
      }
    }
    guard let answer = try? JSONDecoder().decode(Answer.self, from: output) else {
      // Never echo the output: it may hold the secret in a shape we did not expect.
      throw .credentialHelperFailed(
        helper: programName, registry: serverURL,
        reason: "its output is not {\"Username\",\"Secret\"} JSON")
    }
    if answer.secret.isEmpty { return nil }
    if answer.username == "<token>" { return .identityToken(answer.secret) }
    return .basic(RegistryCredentials(username: answer.username, password: answer.secret))
  }

  private func locate() -> String? {
    for directory in searchPath.split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/\(programName)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Runs the helper to completion. Blocking.
  private static func run(_ executable: String, input: String) -> Result<
    (Int32, Data, Data), HelperFailure
  > {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["get"]
    // The server URL goes in through a file rather than a pipe: a helper that exits without
    // reading it cannot make our write fail with SIGPIPE.
    let inputPath =
      NSTemporaryDirectory() + "/tripgen-credential-\(UInt64.random(in: 0...UInt64.max))"
    guard FileManager.default.createFile(atPath: inputPath, contents: Data(input.utf8)),
      let standardInput = FileHandle(forReadingAtPath: inputPath)
    else { return .failure(HelperFailure(reason: "its input file could not be written")) }
    defer {
      try? standardInput.close()
      try? FileManager.default.removeItem(atPath: inputPath)
    }
    let standardOutput = Pipe()
    let standardError = Pipe()
    process.standardInput = standardInput
    process.standardOutput = standardOutput
    process.standardError = standardError
    do {
      try process.run()
    } catch {
      return .failure(HelperFailure(reason: "it could not be started: \(error)"))
    }
    // Standard error is read on another thread so that a chatty helper cannot fill its pipe
    // while we wait on standard output.
    let errorData = ErrorCollector()
    let reader = Thread { errorData.set(standardError.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let output = standardOutput.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return .success((process.terminationStatus, output, errorData.wait()))
  }

  struct HelperFailure: Error { var reason: String }

  /// Standard error's bytes, handed from the reading thread to the waiting one.
  private final class ErrorCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
      condition.lock()
      data = value
      condition.signal()
      condition.unlock()
    }

    func wait() -> Data {
      condition.lock()
      defer { condition.unlock() }
      while data == nil { condition.wait() }
      return data!
    }
  }
}
