/// Go's `strconv` integer parsing, which Sprig reaches through `cast` (`int "0x1F"` is 31) and
/// `atoi`.
enum GoNumberParsing {
  /// The outcome of `strconv.ParseInt`: the value, or a syntax or range error (Go then returns
  /// the clamped value alongside the error).
  enum Result: Equatable {
    case value(Int)
    case syntaxError
    case rangeError(clamped: Int)
  }

  /// `strconv.ParseInt(text, base, 64)`. Base 0 reads Go's prefixes (`0x`, `0o`, `0b`, a
  /// leading `0` for octal) and allows `_` between digits.
  static func parseInt(_ text: String, base requestedBase: Int) -> Result {
    var bytes = Array(text.utf8)[...]
    guard !bytes.isEmpty else { return .syntaxError }
    var negative = false
    if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") {
      negative = bytes.first == UInt8(ascii: "-")
      bytes = bytes.dropFirst()
    }
    guard !bytes.isEmpty else { return .syntaxError }
    var base = requestedBase
    if requestedBase == 0 {
      base = 10
      if bytes.first == UInt8(ascii: "0") {
        let second = bytes.count >= 3 ? bytes[bytes.startIndex + 1] | 0x20 : 0
        switch second {
        case UInt8(ascii: "x"):
          base = 16
          bytes = bytes.dropFirst(2)
        case UInt8(ascii: "o"):
          base = 8
          bytes = bytes.dropFirst(2)
        case UInt8(ascii: "b"):
          base = 2
          bytes = bytes.dropFirst(2)
        default:
          base = 8
          bytes = bytes.dropFirst()
        }
      }
      if text.contains("_") {
        guard underscoresAreValid(text) else { return .syntaxError }
        bytes = bytes.filter { $0 != UInt8(ascii: "_") }[...]
      }
    }
    var magnitude: UInt64 = 0
    var overflow = false
    for byte in bytes {
      let digit: Int
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = Int(byte - UInt8(ascii: "a")) + 10
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = Int(byte - UInt8(ascii: "A")) + 10
      default: return .syntaxError
      }
      guard digit < base else { return .syntaxError }
      let (product, overflowed) = magnitude.multipliedReportingOverflow(by: UInt64(base))
      let (sum, overflowedAgain) = product.addingReportingOverflow(UInt64(digit))
      if overflowed || overflowedAgain { overflow = true }
      magnitude = sum
    }
    let limit = negative ? UInt64(Int.max) + 1 : UInt64(Int.max)
    if overflow || magnitude > limit {
      return .rangeError(clamped: negative ? Int.min : Int.max)
    }
    if negative {
      return .value(magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude))
    }
    return .value(Int(magnitude))
  }

  /// Go's `underscoreOK`: underscores only between digits or after a base prefix.
  private static func underscoresAreValid(_ text: String) -> Bool {
    var bytes = Array(text.utf8)[...]
    if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      bytes = bytes.dropFirst()
    }
    var saw: Character = "^"
    var hex = false
    if bytes.count >= 2, bytes.first == UInt8(ascii: "0") {
      let second = bytes[bytes.startIndex + 1] | 0x20
      if second == UInt8(ascii: "b") || second == UInt8(ascii: "o") || second == UInt8(ascii: "x") {
        bytes = bytes.dropFirst(2)
        saw = "0"
        hex = second == UInt8(ascii: "x")
      }
    }
    for byte in bytes {
      let lower = byte | 0x20
      if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || hex && (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(lower)
      {
        saw = "0"
        continue
      }
      if byte == UInt8(ascii: "_") {
        if saw != "0" { return false }
        saw = "_"
        continue
      }
      if saw == "_" { return false }
      saw = "!"
    }
    return saw != "_"
  }

  /// `strconv.ParseFloat(text, 64)`, or nil on a syntax error.
  static func parseFloat(_ text: String) -> Double? {
    let lowered = text.lowercased()
    switch lowered {
    case "inf", "+inf", "infinity", "+infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    case "nan": return .nan
    default: break
    }
    guard !text.isEmpty, !text.contains(where: { $0.isWhitespace }) else { return nil }
    return Double(text.replacingOccurrences(of: "_", with: ""))
  }
}
