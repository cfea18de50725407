/// Splits a watch response body, newline-delimited JSON arriving in chunks cut anywhere, into
/// whole lines. Each byte is looked at once: a long event spread over many chunks is not
/// rescanned per chunk.
struct KubeWatchLineSplitter {
  /// The start of a line whose end has not arrived yet.
  private var pending: [UInt8] = []

  /// The lines `chunk` completes, without their newline; empty lines are skipped.
  mutating func lines(completedBy chunk: [UInt8]) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    var start = chunk.startIndex
    while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
      var line = pending
      pending = []
      line += chunk[start..<newline]
      if line.last == UInt8(ascii: "\r") { line.removeLast() }
      if !line.isEmpty { lines.append(line) }
      start = newline + 1
    }
    pending += chunk[start...]
    return lines
  }
}
