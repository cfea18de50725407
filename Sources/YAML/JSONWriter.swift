import JSONText

/// Compact JSON text of a `JSONValue`: no insignificant whitespace, floats as Go's `encoding/json`
/// writes them (so integral values have no fraction), and only the escapes JSON requires unless
/// `escapesHTML` asks for Go's `<`, `>`, `&` escapes too. Every JSON the toolkit sends or hashes
/// goes through it: API bodies (key order kept), canonical OCI documents and Helm's `toJson` (keys
/// sorted). It walks the value into `JSONOutput`, the project's one JSON writer.
public struct JSONWriter: Sendable {
  /// Sort object keys by their UTF-8 bytes (canonical, and what Go does for maps); otherwise keep
  /// the order they were written in.
  public var sortsKeys: Bool
  /// Escape `<`, `>`, `&`, U+2028 and U+2029 as `\u003c` etc., as Go's `json.Marshal` does.
  public var escapesHTML: Bool

  public init(sortsKeys: Bool = false, escapesHTML: Bool = false) {
    self.sortsKeys = sortsKeys
    self.escapesHTML = escapesHTML
  }

  /// The JSON bytes of `value`.
  public func encode(_ value: JSONValue) -> [UInt8] {
    var output = JSONOutput(escaping: escapesHTML ? .goMarshal : .required)
    write(value, to: &output)
    return output.bytes
  }

  /// The JSON text of `value`.
  public func string(_ value: JSONValue) -> String {
    String(decoding: encode(value), as: UTF8.self)
  }

  private func write(_ value: JSONValue, to output: inout JSONOutput) {
    switch value {
    case .null: output.writeNull()
    case .bool(let flag): output.write(flag)
    case .int(let number): output.write(number)
    case .double(let number):
      // JSON has no NaN or infinity; Go's encoder refuses them, and null is the safe stand-in.
      if number.isFinite { output.write(number) } else { output.writeNull() }
    case .string(let text): output.write(text)
    case .array(let items):
      output.writeArray(items) { output, item in write(item, to: &output) }
    case .object(let members):
      output.writeObject(members, sortingKeys: sortsKeys) { output, member in
        write(member, to: &output)
      }
    }
  }
}
