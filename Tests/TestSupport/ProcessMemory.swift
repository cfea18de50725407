import Foundation

/// This process's resident memory, from /proc/self/status (Linux).
public enum ProcessMemory {
  /// Resets the peak (VmHWM) to the current resident size, so that a later `peakResidentBytes`
  /// measures only what follows. Linux 4.0 and later.
  public static func resetPeak() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
  }

  /// The peak resident size (VmHWM) since start or the last `resetPeak`, in bytes.
  public static func peakResidentBytes() -> Int { field("VmHWM") }

  /// The current resident size (VmRSS), in bytes.
  public static func residentBytes() -> Int { field("VmRSS") }

  private static func field(_ name: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return 0
    }
    for line in status.split(separator: "\n") where line.hasPrefix("\(name):") {
      let kibibytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
      return kibibytes * 1024
    }
    return 0
  }
}
