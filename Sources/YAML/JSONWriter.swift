import GoNumbers

/// Compact JSON text of a `JSONValue`: no insignificant whitespace, floats as Go's `encoding/json`
/// writes them (so integral values have no fraction), and only the escapes JSON requires unless
/// `escapesHTML` asks for Go's `<`, `>`, `&` escapes too. One writer for every JSON the toolkit sends
/// or hashes: API bodies (key order kept), canonical OCI documents and Helm's `toJson` (keys sorted).
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
    var output: [UInt8] = []
    output.reserveCapacity(256)
    write(value, to: &output)
    return output
  }

  /// The JSON text of `value`.
  public func string(_ value: JSONValue) -> String {
    String(decoding: encode(value), as: UTF8.self)
  }

  private func write(_ value: JSONValue, to output: inout [UInt8]) {
    switch value {
    case .null: output += "null".utf8
    case .bool(let flag): output += (flag ? "true" : "false").utf8
    case .int(let number): output += String(number).utf8
    case .double(let number):
      // JSON has no NaN or infinity; Go's encoder refuses them, and null is the safe stand-in.
      output += (number.isFinite ? GoFloat.jsonText(number) : "null").utf8
    case .string(let text): writeString(text, to: &output)
    case .array(let items):
      output.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        write(item, to: &output)
      }
      output.append(UInt8(ascii: "]"))
    case .object(let members):
      output.append(UInt8(ascii: "{"))
      let keys =
        sortsKeys
        ? members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } : Array(members.keys)
      for (index, key) in keys.enumerated() {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        writeString(key, to: &output)
        output.append(UInt8(ascii: ":"))
        write(members[key]!, to: &output)
      }
      output.append(UInt8(ascii: "}"))
    }
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  private func writeString(_ text: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    var bytes = text.utf8.makeIterator()
    while let byte = bytes.next() {
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), byte]
      case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0..<0x20: appendEscape(UInt32(byte), to: &output)
      case UInt8(ascii: "<") where escapesHTML, UInt8(ascii: ">") where escapesHTML,
        UInt8(ascii: "&") where escapesHTML:
        appendEscape(UInt32(byte), to: &output)
      case 0xE2 where escapesHTML:
        // U+2028 and U+2029 are E2 80 A8 / E2 80 A9 in UTF-8.
        var lookahead = bytes
        if lookahead.next() == 0x80, let last = lookahead.next(), last == 0xA8 || last == 0xA9 {
          appendEscape(last == 0xA8 ? 0x2028 : 0x2029, to: &output)
          bytes = lookahead
        } else {
          output.append(byte)
        }
      default: output.append(byte)
      }
    }
    output.append(UInt8(ascii: "\""))
  }

  private func appendEscape(_ scalar: UInt32, to output: inout [UInt8]) {
    output += "\\u".utf8
    for shift in stride(from: 12, through: 0, by: -4) {
      output.append(Self.hexDigits[Int((scalar >> UInt32(shift)) & 0xF)])
    }
  }
}
