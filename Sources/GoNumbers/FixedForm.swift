/// `%f`: `ddd.ddd`, Go's `fmtF`.
enum FixedForm {
  /// With `precision` digits after the point, or, for -1, as many as the shortest digits need.
  static func text(of magnitude: Double, _ bits: FloatBits, precision: Int) -> String {
    guard precision < 0 else { return cFormat(magnitude, "%.*f", precision) }
    let digits = DecimalDigits.shortest(of: magnitude, bits)
    return text(of: digits, precision: max(digits.count - digits.decimalPoint, 0))
  }

  /// The digits with `precision` digits after the point, zeros filling in where the digits end.
  static func text(of digits: DecimalDigits, precision: Int) -> String {
    var out: [UInt8] = []
    if digits.decimalPoint > 0 {
      for index in 0..<digits.decimalPoint {
        out.append(index < digits.count ? digits.digits[index] : UInt8(ascii: "0"))
      }
    } else {
      out.append(UInt8(ascii: "0"))
    }
    if precision > 0 {
      out.append(UInt8(ascii: "."))
      for offset in 0..<precision {
        let index = digits.decimalPoint + offset
        out.append(index >= 0 && index < digits.count ? digits.digits[index] : UInt8(ascii: "0"))
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
