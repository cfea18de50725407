import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Errors from the Git test fixtures and server launchers; each names the command or server and what
/// it printed.
public enum GitTestSupportError: Error, CustomStringConvertible {
  case commandFailed(command: String, status: Int32, output: String)
  case serverDidNotStart(name: String, port: Int, log: String)
  case missingTool(String, hint: String)

  public var description: String {
    switch self {
    case .commandFailed(let command, let status, let output):
      return "`\(command)` exited with status \(status): \(output)"
    case .serverDidNotStart(let name, let port, let log):
      return "\(name) did not accept connections on 127.0.0.1:\(port) within 10 s; its log: \(log)"
    case .missingTool(let tool, let hint):
      return "\(tool) is not installed: \(hint)"
    }
  }
}

/// Running fixture commands and long-lived servers for the Git tests.
public enum GitTestProcess {
  /// Runs a command to completion and returns its standard output; a non-zero exit is an error that
  /// includes what it printed.
  @discardableResult
  public static func run(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    environment: [String: String] = [:], input: Data? = nil
  ) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    // Standard error goes to a file, so that only one pipe needs draining while the process runs.
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tripgen-git-stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let errors = try FileHandle(forWritingTo: errorFile)
    defer { try? errors.close() }
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
      stdin.fileHandleForWriting.write(input)
      try stdin.fileHandleForWriting.close()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
    let text = String(decoding: outputData, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      throw GitTestSupportError.commandFailed(
        command: ([executable] + arguments).joined(separator: " "),
        status: process.terminationStatus,
        output: text + String(decoding: errorData, as: UTF8.self))
    }
    return text
  }

  /// A TCP port on 127.0.0.1 that was free a moment ago: bound with port 0, read back, released.
  /// (The servers used here cannot report a port they chose themselves.)
  public static func freePort() throws -> Int {
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socketFD) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(socketFD, pointer, length) == 0 && getsockname(socketFD, pointer, &length) == 0
      }
    }
    guard bound else {
      throw GitTestSupportError.commandFailed(command: "bind", status: errno, output: "")
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Whether something accepts TCP connections on 127.0.0.1:`port`.
  public static func accepts(port: Int) -> Bool {
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socketFD) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }

  /// Starts a server process with its output in `log`, and waits until it accepts connections on
  /// `port` (or exits, or 10 s pass).
  public static func startServer(
    name: String, executable: String, arguments: [String], port: Int, log: URL,
    environment: [String: String] = [:]
  ) throws -> Process {
    guard FileManager.default.isExecutableFile(atPath: executable) else {
      throw GitTestSupportError.missingTool(
        executable, hint: "run scripts/setup (scripts/packages.txt)")
    }
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let logHandle = try FileHandle(forWritingTo: log)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = logHandle
    process.standardError = logHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
      if accepts(port: port) { return process }
      if !process.isRunning { break }
      usleep(20_000)
    }
    stop(process)
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    throw GitTestSupportError.serverDidNotStart(name: name, port: port, log: text)
  }

  /// Stops a server started by `startServer` and waits for it to exit.
  public static func stop(_ process: Process) {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
  }
}
