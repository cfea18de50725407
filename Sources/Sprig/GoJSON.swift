import GoTemplate

/// Go's `encoding/json` on template values, as Sprig's `toJson`, `toPrettyJson`, `toRawJson`
/// and `fromJson` use it.
enum GoJSON {
  /// Why a value has no JSON form, worded as Go's `json.Marshal` words it.
  struct EncodingError: Error {
    let message: String
  }

  /// `json.Marshal` (escaping `<`, `>` and `&` unless `escapeHTML` is false); `indent` gives
  /// `json.MarshalIndent(value, "", indent)`.
  static func encode(_ value: TemplateValue, escapeHTML: Bool = true, indent: String? = nil)
    throws -> String
  {
    var output = ""
    try write(value, to: &output, escapeHTML: escapeHTML, indent: indent, depth: 0)
    return output
  }

  private static func write(
    _ value: TemplateValue, to output: inout String, escapeHTML: Bool, indent: String?, depth: Int
  ) throws {
    func newline(_ level: Int) {
      guard let indent else { return }
      output += "\n" + String(repeating: indent, count: level)
    }
    switch value {
    case .missing, .null: output += "null"
    case .bool(let bool): output += bool ? "true" : "false"
    case .int(let int): output += String(int)
    case .uint(let uint): output += String(uint)
    case .float(let float): output += try number(float)
    case .string(let string): output += quote(string, escapeHTML: escapeHTML)
    case .list(let list):
      if list.isEmpty {
        output += "[]"
        return
      }
      output += "["
      for (index, item) in list.enumerated() {
        if index > 0 { output += "," }
        newline(depth + 1)
        try write(item, to: &output, escapeHTML: escapeHTML, indent: indent, depth: depth + 1)
      }
      newline(depth)
      output += "]"
    case .map(let reference):
      let map = reference.entries
      if map.isEmpty {
        output += "{}"
        return
      }
      output += "{"
      let keys = map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (index, key) in keys.enumerated() {
        if index > 0 { output += "," }
        newline(depth + 1)
        output += quote(key, escapeHTML: escapeHTML) + (indent == nil ? ":" : ": ")
        try write(map[key]!, to: &output, escapeHTML: escapeHTML, indent: indent, depth: depth + 1)
      }
      newline(depth)
      output += "}"
    case .object(let object):
      if let encodable = object as? GoJSONEncodable {
        try write(
          encodable.jsonValue, to: &output, escapeHTML: escapeHTML, indent: indent, depth: depth)
      } else {
        output += "{}"
      }
    case .function:
      throw EncodingError(message: "json: unsupported type: func()")
    }
  }

  /// Go's float encoding: shortest digits, `e` notation below 1e-6 and from 1e21 on, with
  /// Go's exponent spelling (`1e-07`, `1e+21`).
  static func number(_ float: Double) throws -> String {
    guard float.isFinite else {
      throw EncodingError(
        message: "json: unsupported value: \(float.isNaN ? "NaN" : float > 0 ? "+Inf" : "-Inf")")
    }
    if float == 0 { return float.sign == .minus ? "-0" : "0" }
    let (digits, exponent) = ShortestDecimal.digits(of: abs(float))
    let sign = float < 0 ? "-" : ""
    let magnitude = abs(float)
    if magnitude < 1e-6 || magnitude >= 1e21 {
      var mantissa = String(digits.first!)
      if digits.count > 1 { mantissa += "." + digits.dropFirst() }
      let power = exponent - 1
      // Go writes `e-7` but `e+21` (at least two digits only for positive exponents).
      let exponentText = power < 0 ? "-" + String(-power) : "+" + pad(power)
      return sign + mantissa + "e" + exponentText
    }
    return sign + ShortestDecimal.fixed(digits: digits, exponent: exponent)
  }

  private static func pad(_ value: Int) -> String {
    value < 10 ? "0\(value)" : String(value)
  }

  /// A JSON string literal as Go writes it.
  static func quote(_ text: String, escapeHTML: Bool) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "<" where escapeHTML, ">" where escapeHTML, "&" where escapeHTML:
        output += "\\u00" + String(scalar.value, radix: 16)
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
    return output + "\""
  }
}

/// A value with a Go `MarshalJSON` method (or one encoding/json knows, like `time.Time`).
protocol GoJSONEncodable {
  /// The value to encode in its place.
  var jsonValue: TemplateValue { get }
}

/// The shortest decimal digits that read back as the same float64, as Go's `strconv` finds them.
enum ShortestDecimal {
  /// The digits (no leading or trailing zeros) and the decimal exponent: the value is
  /// `0.DIGITS × 10^exponent`.
  static func digits(of value: Double) -> (digits: String, exponent: Int) {
    // Swift's description is also the shortest round-tripping form; only its layout differs.
    let text = "\(value)"
    var mantissa = text
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = String(text[..<e])
      exponent = Int(text[text.index(after: e)...])!
    }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    let integer = String(parts[0])
    let fraction = parts.count > 1 ? String(parts[1]) : ""
    var digits = integer + fraction
    var pointPosition = integer.count + exponent
    while digits.hasPrefix("0") && digits.count > 1 {
      digits.removeFirst()
      pointPosition -= 1
    }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    return (digits, pointPosition)
  }

  /// `%f`-style layout of `0.DIGITS × 10^exponent` with no trailing zeros.
  static func fixed(digits: String, exponent: Int) -> String {
    if exponent <= 0 { return "0." + String(repeating: "0", count: -exponent) + digits }
    if exponent >= digits.count {
      return digits + String(repeating: "0", count: exponent - digits.count)
    }
    let split = digits.index(digits.startIndex, offsetBy: exponent)
    return digits[..<split] + "." + digits[split...]
  }
}
