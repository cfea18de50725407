import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Wall-clock timing and memory readings shared by the benchmarks.
enum Measurement {
  /// Runs `body` and returns how long it took, in seconds.
  static func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    return (ContinuousClock.now - start).asSeconds
  }

  /// Runs `body` and returns how long it took, in seconds.
  static func secondsAsync(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    return (ContinuousClock.now - start).asSeconds
  }

  /// The best (lowest) of `runs` timings: the figure least disturbed by the rest of the machine.
  static func best(of runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<runs { best = min(best, try seconds(body)) }
    return best
  }

  /// This process's peak resident set size so far, in bytes (getrusage's ru_maxrss is in KiB on Linux).
  static func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
  }

  /// Runs a command to completion and returns its wall time and peak resident memory. The command's
  /// output goes to /dev/null; a non-zero exit is an error naming the command.
  static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (
    seconds: Double, peakResidentBytes: Int
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardOutput = FileHandle.nullDevice
    let start = ContinuousClock.now
    try process.run()
    var status: Int32 = 0
    var usage = rusage()
    wait4(process.processIdentifier, &status, 0, &usage)
    let elapsed = (ContinuousClock.now - start).asSeconds
    guard status == 0 else {
      throw BenchmarkError.referenceFailed(arguments.joined(separator: " "), status: status)
    }
    return (elapsed, usage.ru_maxrss * 1024)
  }
}

enum BenchmarkError: Error, CustomStringConvertible {
  case referenceFailed(String, status: Int32)
  case missingTool(String, hint: String)

  var description: String {
    switch self {
    case .referenceFailed(let command, let status):
      return "reference command failed (wait status \(status)): \(command)"
    case .missingTool(let tool, let hint):
      return "\(tool) is not installed: \(hint)"
    }
  }
}

extension Duration {
  var asSeconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}

/// Formats a byte count for people: 1.5 MiB.
func formatBytes(_ bytes: Int) -> String {
  let units = ["B", "KiB", "MiB", "GiB"]
  var value = Double(bytes)
  var unit = 0
  while value >= 1024 && unit < units.count - 1 {
    value /= 1024
    unit += 1
  }
  return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
}
