import GoTemplate

/// The conversions of `github.com/spf13/cast` that Sprig's math and conversion functions use:
/// unconvertible values become zero rather than errors.
enum Cast {
  /// `cast.ToInt64`: numbers truncate toward zero, bools are 1 or 0, strings parse as Go integer
  /// literals after dropping a zero fraction (`"12.0"` is 12, `"12.5"` and `"12abc"` are 0),
  /// anything else is 0.
  static func toInt64(_ value: TemplateValue) -> Int {
    switch value {
    case .int(let int): return int
    case .uint(let uint): return Int(truncatingIfNeeded: uint)
    case .float(let float): return goFloatToInt(float)
    case .bool(let bool): return bool ? 1 : 0
    case .string(let string):
      if case .value(let int) = GoNumberParsing.parseInt(trimZeroDecimal(string), base: 0) {
        return int
      }
      return 0
    default: return 0
    }
  }

  /// `cast.ToFloat64`: strings parse with `strconv.ParseFloat`; anything unconvertible is 0.
  static func toFloat64(_ value: TemplateValue) -> Double {
    switch value {
    case .int(let int): return Double(int)
    case .uint(let uint): return Double(uint)
    case .float(let float): return float
    case .bool(let bool): return bool ? 1 : 0
    case .string(let string): return GoNumberParsing.parseFloat(string) ?? 0
    default: return 0
    }
  }

  /// Go's `int64(f)` conversion: truncation toward zero; out-of-range values and NaN give the
  /// minimum int64, as amd64 does.
  static func goFloatToInt(_ float: Double) -> Int {
    guard float.isFinite, float > -9.223372036854775808e18, float < 9.223372036854775808e18
    else { return Int.min }
    return Int(float.rounded(.towardZero))
  }

  /// cast's `trimZeroDecimal`: `"12.00"` becomes `"12"`; any other fraction stays.
  static func trimZeroDecimal(_ text: String) -> String {
    var foundZero = false
    let bytes = Array(text.utf8)
    var index = bytes.count
    while index > 0 {
      switch bytes[index - 1] {
      case UInt8(ascii: "."):
        if foundZero { return String(decoding: bytes[..<(index - 1)], as: UTF8.self) }
      case UInt8(ascii: "0"):
        foundZero = true
      default:
        return text
      }
      index -= 1
    }
    return text
  }

  /// Sprig's `strslice` (`toStrings`): a list's elements as strings with nils dropped; nil
  /// is an empty list; any other value a one-element list.
  static func toStrings(_ value: TemplateValue) -> [String] {
    switch value {
    case .list(let list): return list.filter { !$0.isNilValue }.map(GoPrinting.string)
    case .null, .missing: return []
    default: return [GoPrinting.string(value)]
    }
  }
}
