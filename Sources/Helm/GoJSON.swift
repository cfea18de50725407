import YAML

/// JSON text as Go's `json.Marshal` writes it: no spaces, map keys sorted, `<`, `>` and `&`
/// escaped as `\u003c` etc., floats in the shortest form without an exponent between 1e-6 and
/// 1e21.
enum GoJSON {
  static func encode(_ value: JSONValue) -> String {
    var output = ""
    write(value, to: &output)
    return output
  }

  private static func write(_ value: JSONValue, to output: inout String) {
    switch value {
    case .null: output += "null"
    case .bool(let bool): output += bool ? "true" : "false"
    case .int(let int): output += String(int)
    case .double(let double): output += formatFloat(double)
    case .string(let string): writeString(string, to: &output)
    case .array(let items):
      output += "["
      for (index, item) in items.enumerated() {
        if index > 0 { output += "," }
        write(item, to: &output)
      }
      output += "]"
    case .object(let entries):
      output += "{"
      for (index, key) in entries.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        .enumerated()
      {
        if index > 0 { output += "," }
        writeString(key, to: &output)
        output += ":"
        write(entries[key]!, to: &output)
      }
      output += "}"
    }
  }

  private static func writeString(_ string: String, to output: inout String) {
    output += "\""
    // Most strings need no escaping: copy them whole.
    if string.utf8.allSatisfy({
      $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C && $0 != 0x3C && $0 != 0x3E && $0 != 0x26
        && $0 < 0xE2
    }) {
      output += string
      output += "\""
      return
    }
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "<": output += "\\u003c"
      case ">": output += "\\u003e"
      case "&": output += "\\u0026"
      case "\u{2028}": output += "\\u2028"
      case "\u{2029}": output += "\\u2029"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    output += "\""
  }

  /// Go's float64 JSON form: `strconv.FormatFloat(f, 'f', -1, 64)`, or 'e' outside
  /// [1e-6, 1e21) with a two-digit exponent at least.
  static func formatFloat(_ value: Double) -> String {
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
  static func decimalExponent(_ magnitude: Double) -> Int {
    shortestDigits(magnitude).1 - 1
  }

  /// strconv's 'e' form with the shortest digits and a two-digit exponent at least
  /// (`1e+06`, `1.2345e-07`), as `%g` prints large and small numbers.
  static func formatFloatExponent(_ value: Double) -> String {
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
