/// Go's `strconv.FormatFloat(f, 'g', -1, bits)`: the shortest digits that round-trip, in `%e` form
/// when the decimal exponent is below -4 or at least 6 (`1e+06`, `1.5e-07`), otherwise plain
/// (`123456`, `0.001`). go-yaml v2 writes floats this way, and sigs.k8s.io/yaml formats float map keys
/// this way (with 32-bit precision), so matching it keeps our output byte-identical to theirs.
enum GoFloatFormatting {
  /// Formats a finite value given its shortest round-trip description (Swift's `description` of a
  /// Double or Float, which yields the same digits as Go's shortest mode).
  static func format(shortestDescription text: String) -> String {
    var negative = false
    var body = Substring(text)
    if body.first == "-" {
      negative = true
      body = body.dropFirst()
    }
    var exponent = 0
    if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exponent = Int(body[body.index(after: e)...]) ?? 0
      body = body[..<e]
    }
    let dot = body.firstIndex(of: ".") ?? body.endIndex
    let integerPart = body[..<dot]
    let fractionPart = dot < body.endIndex ? body[body.index(after: dot)...] : ""
    var digits = Array((integerPart + fractionPart).utf8)
    // Decimal point position: value = 0.d1d2... × 10^point.
    var point = integerPart.count + exponent
    while let first = digits.first, first == UInt8(ascii: "0") {
      digits.removeFirst()
      point -= 1
    }
    while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
    if digits.isEmpty { return negative ? "-0" : "0" }

    var out = negative ? "-" : ""
    let decimalExponent = point - 1
    if decimalExponent < -4 || decimalExponent >= 6 {
      out.unicodeScalars.append(Unicode.Scalar(digits[0]))
      if digits.count > 1 {
        out += "."
        out += String(decoding: digits[1...], as: UTF8.self)
      }
      out += decimalExponent < 0 ? "e-" : "e+"
      let magnitude = abs(decimalExponent)
      out += magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
      return out
    }
    if point <= 0 {
      out += "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
    } else if point >= digits.count {
      out +=
        String(decoding: digits, as: UTF8.self)
        + String(repeating: "0", count: point - digits.count)
    } else {
      out +=
        String(decoding: digits[..<point], as: UTF8.self) + "."
        + String(decoding: digits[point...], as: UTF8.self)
    }
    return out
  }

  /// go-yaml v2's float text: Go's `'g'` format, with `.inf`, `-.inf` and `.nan`.
  static func yamlText(_ value: Double) -> String {
    if value.isNaN { return ".nan" }
    if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
    return format(shortestDescription: value.description)
  }

  /// sigs.k8s.io/yaml's text for a float map key: `FormatFloat(key, 'g', -1, 32)`.
  static func keyText(_ value: Double) -> String {
    if value.isNaN { return ".nan" }
    if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
    return format(shortestDescription: Float(value).description)
  }
}
