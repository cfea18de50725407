/// `%e`: `d.ddde±dd`, Go's `fmtE`: at least two exponent digits.
enum ExponentForm {
  /// The digits with `precision` of them after the point (zeros added as needed).
  static func text(of digits: DecimalDigits, precision: Int, upper: Bool) -> String {
    var out: [UInt8] = []
    out.append(digits.digits.first ?? UInt8(ascii: "0"))
    if precision > 0 {
      out.append(UInt8(ascii: "."))
      var index = 1
      let end = min(digits.count, precision + 1)
      while index < end {
        out.append(digits.digits[index])
        index += 1
      }
      while index <= precision {
        out.append(UInt8(ascii: "0"))
        index += 1
      }
    }
    out.append(upper ? UInt8(ascii: "E") : UInt8(ascii: "e"))
    var exponent = digits.digits.isEmpty ? 0 : digits.decimalPoint - 1
    if exponent < 0 {
      out.append(UInt8(ascii: "-"))
      exponent = -exponent
    } else {
      out.append(UInt8(ascii: "+"))
    }
    if exponent < 10 { out.append(UInt8(ascii: "0")) }
    out.append(contentsOf: String(exponent).utf8)
    return String(decoding: out, as: UTF8.self)
  }
}
