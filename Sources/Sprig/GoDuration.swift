/// Go's `time.Duration`: nanoseconds as int64, printed as `1h2m3.5s`.
public enum GoDuration {
  static let second: Int64 = 1_000_000_000

  /// `Duration.String()`.
  static func format(_ duration: Int64) -> String {
    if duration == 0 { return "0s" }
    let negative = duration < 0
    var magnitude = duration.magnitude
    var text: String
    if magnitude < UInt64(second) {
      let (unit, precision): (String, Int) =
        magnitude < 1000 ? ("ns", 0) : magnitude < 1_000_000 ? ("µs", 3) : ("ms", 6)
      let (fraction, whole) = fractionText(magnitude, precision: precision)
      text = String(whole) + fraction + unit
    } else {
      let (fraction, wholeSeconds) = fractionText(magnitude, precision: 9)
      magnitude = wholeSeconds
      text = String(magnitude % 60) + fraction + "s"
      magnitude /= 60
      if magnitude > 0 {
        text = String(magnitude % 60) + "m" + text
        magnitude /= 60
        if magnitude > 0 { text = String(magnitude) + "h" + text }
      }
    }
    return negative ? "-" + text : text
  }

  /// Go's `fmtFrac`: the fraction digits of `value` at `precision` without trailing zeros (and
  /// without the point when they are all zero), and the integer part.
  private static func fractionText(_ value: UInt64, precision: Int) -> (String, UInt64) {
    var value = value
    var digits: [Character] = []
    var printed = false
    for _ in 0..<precision {
      let digit = value % 10
      printed = printed || digit != 0
      if printed { digits.append(Character(String(digit))) }
      value /= 10
    }
    return (printed ? "." + String(digits.reversed()) : "", value)
  }

  /// Why text is not a duration, worded as Go's `time.ParseDuration` errors.
  public struct ParseError: Error {
    public let message: String
  }

  /// `time.ParseDuration`: `300ms`, `-1.5h`, `2h45m`; units ns, us (or µs), ms, s, m, h.
  public static func parse(_ text: String) throws -> Int64 {
    let invalid = ParseError(message: "time: invalid duration \(GoPrinting.quote(text))")
    var rest = Substring(text)
    var negative = false
    if let first = rest.first, first == "-" || first == "+" {
      negative = first == "-"
      rest = rest.dropFirst()
    }
    if rest == "0" { return 0 }
    if rest.isEmpty { throw invalid }
    var total: Double = 0
    while !rest.isEmpty {
      let integer = rest.prefix { $0.isASCII && $0.isNumber }
      rest = rest.dropFirst(integer.count)
      var fraction: Substring = ""
      if rest.first == "." {
        rest = rest.dropFirst()
        fraction = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(fraction.count)
      }
      if integer.isEmpty && fraction.isEmpty { throw invalid }
      let unit = rest.prefix { !($0 == "." || $0.isASCII && $0.isNumber) }
      rest = rest.dropFirst(unit.count)
      if unit.isEmpty {
        throw ParseError(message: "time: missing unit in duration \(GoPrinting.quote(text))")
      }
      let scale: Double
      switch unit {
      case "ns": scale = 1
      case "us", "µs", "μs": scale = 1e3
      case "ms": scale = 1e6
      case "s": scale = 1e9
      case "m": scale = 60e9
      case "h": scale = 3600e9
      default:
        throw ParseError(
          message:
            "time: unknown unit \(GoPrinting.quote(String(unit))) in duration \(GoPrinting.quote(text))"
        )
      }
      let number =
        Double(String(integer.isEmpty ? "0" : integer) + "." + (fraction.isEmpty ? "0" : fraction))
        ?? 0
      total += number * scale
      if total > 9.223372036854775807e18 { throw invalid }
    }
    let nanoseconds = Int64(total.rounded(.towardZero))
    return negative ? -nanoseconds : nanoseconds
  }
}
