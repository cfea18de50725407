/// The decimal digits of a finite non-negative value: `0.d1d2d3... × 10^decimalPoint`, with no
/// leading or trailing zeros (none at all for zero). Every decimal form is laid out from these.
struct DecimalDigits: Sendable {
  /// ASCII digits.
  var digits: [UInt8]
  var decimalPoint: Int

  var count: Int { digits.count }

  /// The fewest digits that read back as the same value, as Go's shortest mode finds them.
  /// Swift's `description` of a `Double` (or of a `Float`, for 32 bits) prints exactly those
  /// digits; only its layout (`1e-07`, `1.5`, `1.2345e+20`) differs from Go's.
  static func shortest(of magnitude: Double, _ bits: FloatBits) -> DecimalDigits {
    if magnitude == 0 { return DecimalDigits(digits: [], decimalPoint: 0) }
    return parse(bits.is32Bit ? Float(magnitude).description : magnitude.description)
  }

  /// `significantDigits` digits, correctly rounded (half to even on exact ties), from the C
  /// library's exact `%.*e`, as Go's exact decimal conversion gives them.
  static func rounded(_ magnitude: Double, significantDigits: Int) -> DecimalDigits {
    if magnitude == 0 { return DecimalDigits(digits: [], decimalPoint: 0) }
    return parse(cFormat(magnitude, "%.*e", max(significantDigits - 1, 0)))
  }

  /// Reads `123.45`, `1.2e+16` or `5e-324`.
  private static func parse(_ text: String) -> DecimalDigits {
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      var exponentText = text[text.index(after: e)...]
      if exponentText.first == "+" { exponentText = exponentText.dropFirst() }
      exponent = Int(exponentText) ?? 0
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
    return DecimalDigits(digits: digits, decimalPoint: decimalPoint)
  }
}
