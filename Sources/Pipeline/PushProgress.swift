import Synchronization

/// Turns the pusher's per-blob lines (`blob 1a2b3c (1234 bytes): uploaded`) into a live status:
/// bytes handled so far against the image's size.
final class PushProgress: Sendable {
  let service: String
  let total: Int
  private let done = Mutex<Int>(0)

  init(service: String, total: Int) {
    self.service = service
    self.total = total
  }

  /// The status after `line`, or nil when the line is not about a blob.
  func record(_ line: String) -> String? {
    guard line.hasPrefix("blob "), let open = line.firstIndex(of: "("),
      let space = line[open...].firstIndex(of: " "),
      let bytes = Int(line[line.index(after: open)..<space])
    else { return nil }
    let sum = done.withLock { value -> Int in
      value += bytes
      return value
    }
    return "pushing \(service): \(ByteCount.format(sum)) of \(ByteCount.format(total))"
  }
}

/// Sizes as people read them: `812 B`, `3.4 MB` (powers of 1000, as registries show them).
enum ByteCount {
  static func format(_ bytes: Int) -> String {
    if bytes < 1000 { return "\(bytes) B" }
    let units = ["kB", "MB", "GB", "TB"]
    var value = Double(bytes) / 1000
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return String(format: "%.1f", value) + " " + units[unit]
  }
}
