/// Go's float texts that JSON and templates show: `encoding/json`'s form and strconv's `'e'` form.
public enum GoFloatText {
  /// Go's float64 JSON form: `strconv.FormatFloat(f, 'f', -1, 64)`, or 'e' outside
  /// [1e-6, 1e21) with a two-digit exponent at least.
  public static func formatFloat(_ value: Double) -> String {
    if value == 0 { return value.sign == .minus ? "-0" : "0" }
    let magnitude = abs(value)
    let (digits, exponent) = shortestDigits(magnitude)
    let sign = value < 0 ? "-" : ""
    if magnitude < 1e-6 || magnitude >= 1e21 {
      var mantissa = String(digits.first!)
      if digits.count > 1 { mantissa += "." + digits.dropFirst() }
      // strconv's 'e' form pads the exponent to two digits; encoding/json then turns
      // "e-07" back into "e-7" (but keeps "e+21").
      let e = exponent - 1
      let exponentText = e < 0 ? "-" + String(-e) : "+" + (e < 10 ? "0" : "") + String(e)
      return sign + mantissa + "e" + exponentText
    }
    // digits × 10^(exponent - digits.count)
    if exponent <= 0 {
      return sign + "0." + String(repeating: "0", count: -exponent) + digits
    }
    if exponent >= digits.count {
      return sign + digits + String(repeating: "0", count: exponent - digits.count)
    }
    let split = digits.index(digits.startIndex, offsetBy: exponent)
    return sign + digits[..<split] + "." + digits[split...]
  }

  /// The decimal exponent of a positive double: 1.5e6 gives 6.
  public static func decimalExponent(_ magnitude: Double) -> Int {
    shortestDigits(magnitude).1 - 1
  }

  /// strconv's 'e' form with the shortest digits and a two-digit exponent at least
  /// (`1e+06`, `1.2345e-07`), as `%g` prints large and small numbers.
  public static func formatFloatExponent(_ value: Double) -> String {
    let (digits, exponent) = shortestDigits(abs(value))
    var mantissa = String(digits.first!)
    if digits.count > 1 { mantissa += "." + digits.dropFirst() }
    let e = exponent - 1
    let exponentText = (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
    return (value < 0 ? "-" : "") + mantissa + "e" + exponentText
  }

  /// The shortest decimal digits of a positive double and the decimal exponent `e` such that
  /// the value is 0.DIGITS × 10^e.
  private static func shortestDigits(_ value: Double) -> (String, Int) {
    // Swift's description is the shortest round-tripping form: "1.5", "1e-07", "1.2345e+20".
    let text = "\(value)"
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      exponent = Int(text[text.index(after: e)...].replacingPlus()) ?? 0
    }
    var integerPart = mantissa
    var fraction: Substring = ""
    if let dot = mantissa.firstIndex(of: ".") {
      integerPart = mantissa[..<dot]
      fraction = mantissa[mantissa.index(after: dot)...]
    }
    var digits = String(integerPart) + fraction
    var pointPosition = integerPart.count + exponent
    while digits.hasPrefix("0") && digits.count > 1 {
      digits.removeFirst()
      pointPosition -= 1
    }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    return (digits, pointPosition)
  }
}

extension Substring {
  fileprivate func replacingPlus() -> Substring { first == "+" ? dropFirst() : self }
}
