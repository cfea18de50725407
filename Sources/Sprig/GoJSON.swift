import GoTemplate
import JSONText

/// Go's `encoding/json` on template values, as Sprig's `toJson`, `toPrettyJson`, `toRawJson`
/// and `fromJson` use it. The text itself is written by `JSONOutput`, the project's one JSON writer.
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
    var output = JSONOutput(
      escaping: escapeHTML ? .goMarshal : .goMarshalWithoutHTMLEscaping, indent: indent)
    try write(value, to: &output)
    return output.text
  }

  private static func write(_ value: TemplateValue, to output: inout JSONOutput)
    throws(EncodingError)
  {
    switch value {
    case .missing, .null: output.writeNull()
    case .bool(let bool): output.write(bool)
    case .int(let int): output.write(int)
    case .uint(let uint): output.write(uint)
    case .float(let float):
      guard float.isFinite else {
        throw EncodingError(
          message: "json: unsupported value: \(float.isNaN ? "NaN" : float > 0 ? "+Inf" : "-Inf")")
      }
      output.write(float)
    case .string(let string): output.write(string)
    case .list(let list):
      try output.writeArray(list) { output, item throws(EncodingError) in
        try write(item, to: &output)
      }
    case .map(let reference):
      try output.writeObject(reference.entries, sortingKeys: true) {
        output, member throws(EncodingError) in try write(member, to: &output)
      }
    case .object(let object):
      if let encodable = object as? GoJSONEncodable {
        try write(encodable.jsonValue, to: &output)
      } else {
        output.beginObject()
        output.endObject()
      }
    case .function:
      throw EncodingError(message: "json: unsupported type: func()")
    }
  }
}

/// A value with a Go `MarshalJSON` method (or one encoding/json knows, like `time.Time`).
protocol GoJSONEncodable {
  /// The value to encode in its place.
  var jsonValue: TemplateValue { get }
}
