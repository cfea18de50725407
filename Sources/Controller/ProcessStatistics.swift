import Foundation

/// The process's own resource use, read from `/proc/self` (Linux), for `/metrics` and the
/// benchmark.
public enum ProcessStatistics {
  /// Resident set size in bytes, or nil where /proc is unavailable.
  public static func residentBytes() -> Int? {
    guard let text = read("/proc/self/statm") else { return nil }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  }

  /// User plus system CPU time in seconds.
  public static func cpuSeconds() -> Double? {
    guard let text = read("/proc/self/stat"), let close = text.lastIndex(of: ")") else {
      return nil
    }
    // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
      return nil
    }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  private static func read(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
  }
}
