import GoNumbers
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

  /// Go's float encoding (`1e-07` written `1e-7`, `1e+21`), refusing what JSON cannot hold.
  static func number(_ float: Double) throws -> String {
    guard float.isFinite else {
      throw EncodingError(
        message: "json: unsupported value: \(float.isNaN ? "NaN" : float > 0 ? "+Inf" : "-Inf")")
    }
    return GoFloat.jsonText(float)
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
