#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Go's `strconv.FormatFloat` for 64-bit floats: the `%v`, `%e`, `%f`, `%g`, `%x` and `%b` forms
/// that templates print.
///
/// Shortest forms take their digits from Swift's `description`, which, like Go, prints the
/// shortest digit string that reads back as the same double. Forms with a precision take their
/// correctly rounded digits from the C library's `%.*e`/`%.*f`, as Go's exact decimal conversion
/// would.
enum FloatFormatting {
  /// Decimal digits `d1 d2 ...` of a non-negative finite value `0.d1d2... × 10^decimalPoint`.
  struct Digits {
    var digits: [UInt8]  // ASCII digits, no leading or trailing zeros
    var decimalPoint: Int
  }

  /// Formats `value` like `strconv.FormatFloat(value, verb, precision, 64)`; a precision of -1
  /// asks for the shortest form.
  static func format(_ value: Double, verb: Character, precision: Int) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
    let negative = value.sign == .minus
    let magnitude = abs(value)
    var body: String
    switch verb {
    case "b":
      body = binaryExponent(magnitude)
    case "x", "X":
      body = hexadecimal(magnitude, precision: precision, upper: verb == "X")
    case "e", "E":
      let digits =
        precision < 0 ? shortest(magnitude) : rounded(magnitude, significant: precision + 1)
      body = exponential(
        digits, precision: precision < 0 ? max(digits.digits.count - 1, 0) : precision, verb: verb)
    case "f", "F":
      if precision < 0 {
        let digits = shortest(magnitude)
        body = fixed(digits, precision: max(digits.digits.count - digits.decimalPoint, 0))
      } else {
        body = cFormat(magnitude, "%.*f", precision)
      }
    default:  // g, G
      body = general(magnitude, precision: precision, upper: verb == "G")
    }
    return negative ? "-" + body : body
  }

  /// The `%g` logic of Go's `formatDigits`.
  private static func general(_ magnitude: Double, precision: Int, upper: Bool) -> String {
    let shortestForm = precision < 0
    var precision = precision
    let digits: Digits
    if shortestForm {
      digits = shortest(magnitude)
      precision = digits.digits.count
    } else {
      if precision == 0 { precision = 1 }
      digits = rounded(magnitude, significant: precision)
    }
    var exponentPrecision = precision
    if exponentPrecision > digits.digits.count && digits.digits.count >= digits.decimalPoint {
      exponentPrecision = digits.digits.count
    }
    // The shortest form decides with precision 6, as Go's %v does.
    if shortestForm { exponentPrecision = 6 }
    let exponent = digits.decimalPoint - 1
    if exponent < -4 || exponent >= exponentPrecision {
      if precision > digits.digits.count { precision = digits.digits.count }
      return exponential(digits, precision: max(precision - 1, 0), verb: upper ? "E" : "e")
    }
    if precision > digits.decimalPoint { precision = digits.digits.count }
    return fixed(digits, precision: max(precision - digits.decimalPoint, 0))
  }

  /// `d.ddde±dd` with `precision` digits after the point.
  private static func exponential(_ digits: Digits, precision: Int, verb: Character) -> String {
    var out = ""
    let first = digits.digits.first.map { Character(Unicode.Scalar($0)) } ?? "0"
    out.append(first)
    if precision > 0 {
      out.append(".")
      var index = 1
      let end = min(digits.digits.count, precision + 1)
      while index < end {
        out.append(Character(Unicode.Scalar(digits.digits[index])))
        index += 1
      }
      while index <= precision {
        out.append("0")
        index += 1
      }
    }
    out.append(verb == "E" ? "E" : "e")
    var exponent = digits.digits.isEmpty ? 0 : digits.decimalPoint - 1
    if exponent < 0 {
      out.append("-")
      exponent = -exponent
    } else {
      out.append("+")
    }
    if exponent < 10 { out.append("0") }
    out.append(String(exponent))
    return out
  }

  /// `ddd.ddd` with `precision` digits after the point.
  private static func fixed(_ digits: Digits, precision: Int) -> String {
    var out = ""
    if digits.decimalPoint > 0 {
      var index = 0
      while index < digits.decimalPoint {
        out.append(
          index < digits.digits.count ? Character(Unicode.Scalar(digits.digits[index])) : "0")
        index += 1
      }
    } else {
      out.append("0")
    }
    if precision > 0 {
      out.append(".")
      for offset in 1...precision {
        let index = digits.decimalPoint + offset - 1
        if index >= 0 && index < digits.digits.count {
          out.append(Character(Unicode.Scalar(digits.digits[index])))
        } else {
          out.append("0")
        }
      }
    }
    return out
  }

  /// The shortest digits that read back as `magnitude`.
  static func shortest(_ magnitude: Double) -> Digits {
    if magnitude == 0 { return Digits(digits: [], decimalPoint: 0) }
    return parseDigits(magnitude.description)
  }

  /// `significant` digits correctly rounded.
  private static func rounded(_ magnitude: Double, significant: Int) -> Digits {
    if magnitude == 0 { return Digits(digits: [], decimalPoint: 0) }
    return parseDigits(cFormat(magnitude, "%.*e", max(significant - 1, 0)))
  }

  /// Reads `123.45`, `1.2e+16` or `5e-324` into digits and a decimal point position.
  private static func parseDigits(_ text: String) -> Digits {
    var mantissa = Substring(text)
    var exponent = 0
    if let eIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<eIndex]
      exponent = Int(text[text.index(after: eIndex)...].replacing("+", with: "")) ?? 0
    }
    var digits: [UInt8] = []
    var decimalPoint = 0
    var seenPoint = false
    for byte in mantissa.utf8 {
      if byte == UInt8(ascii: ".") {
        seenPoint = true
        continue
      }
      digits.append(byte)
      if !seenPoint { decimalPoint += 1 }
    }
    decimalPoint += exponent
    while let first = digits.first, first == UInt8(ascii: "0") {
      digits.removeFirst()
      decimalPoint -= 1
    }
    while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
    if digits.isEmpty { decimalPoint = 0 }
    return Digits(digits: digits, decimalPoint: decimalPoint)
  }

  /// Formats one double with a C format that takes a precision argument.
  private static func cFormat(_ value: Double, _ format: String, _ precision: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    let written = withVaList([Int32(precision), value]) { arguments in
      vsnprintf(&buffer, buffer.count, format, arguments)
    }
    if Int(written) >= buffer.count {
      buffer = [CChar](repeating: 0, count: Int(written) + 1)
      _ = withVaList([Int32(precision), value]) { arguments in
        vsnprintf(&buffer, buffer.count, format, arguments)
      }
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Mantissa and exponent bits of a double, as Go's `ftoa` extracts them.
  private static func parts(_ magnitude: Double) -> (mantissa: UInt64, exponent: Int) {
    let bits = magnitude.bitPattern
    var exponent = Int((bits >> 52) & 0x7FF)
    var mantissa = bits & ((1 << 52) - 1)
    if exponent == 0 {
      exponent += 1
    } else {
      mantissa |= 1 << 52
    }
    exponent -= 1023
    return (mantissa, exponent)
  }

  /// `%b`: `mantissa p exponent`, e.g. `4503599627370496p-52`.
  private static func binaryExponent(_ magnitude: Double) -> String {
    let (mantissa, exponent) = parts(magnitude)
    let adjusted = exponent - 52
    return "\(mantissa)p\(adjusted >= 0 ? "+" : "")\(adjusted)"
  }

  /// `%x`: `0x1.8p+01`.
  private static func hexadecimal(_ magnitude: Double, precision: Int, upper: Bool) -> String {
    var (mantissa, exponent) = parts(magnitude)
    if mantissa == 0 { exponent = 0 }
    mantissa <<= 60 - 52
    while mantissa != 0 && mantissa & (1 << 60) == 0 {
      mantissa <<= 1
      exponent -= 1
    }
    if precision >= 0 && precision < 15 {
      let shift = UInt64(precision * 4)
      let extra = (mantissa << shift) & ((1 << 60) - 1)
      mantissa >>= 60 - shift
      if extra | (mantissa & 1) > 1 << 59 { mantissa += 1 }
      mantissa <<= 60 - shift
      if mantissa & (1 << 61) != 0 {
        mantissa >>= 1
        exponent += 1
      }
    }
    let hex = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
    var out: [UInt8] = [UInt8(ascii: "0"), upper ? UInt8(ascii: "X") : UInt8(ascii: "x")]
    out.append(UInt8(ascii: "0") + UInt8((mantissa >> 60) & 1))
    mantissa <<= 4
    if precision < 0 && mantissa != 0 {
      out.append(UInt8(ascii: "."))
      while mantissa != 0 {
        out.append(hex[Int((mantissa >> 60) & 15)])
        mantissa <<= 4
      }
    } else if precision > 0 {
      out.append(UInt8(ascii: "."))
      for _ in 0..<precision {
        out.append(hex[Int((mantissa >> 60) & 15)])
        mantissa <<= 4
      }
    }
    out.append(upper ? UInt8(ascii: "P") : UInt8(ascii: "p"))
    out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
    let magnitudeOfExponent = abs(exponent)
    if magnitudeOfExponent < 10 { out.append(UInt8(ascii: "0")) }
    out.append(contentsOf: String(magnitudeOfExponent).utf8)
    return String(decoding: out, as: UTF8.self)
  }
}
