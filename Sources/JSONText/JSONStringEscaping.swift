/// Which characters a JSON string literal escapes beyond the ones JSON requires (`"`, `\` and the
/// control characters, which are always escaped: `\n`, `\r`, `\t`, the others as `\u00XX`).
public struct JSONStringEscaping: Sendable, Equatable {
  /// `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`, so that the JSON can sit inside HTML.
  public var escapesHTML: Bool
  /// U+2028 and U+2029 as `\u2028`, `\u2029`: valid in JSON, but line breaks in JavaScript.
  public var escapesLineSeparators: Bool

  public init(escapesHTML: Bool, escapesLineSeparators: Bool) {
    self.escapesHTML = escapesHTML
    self.escapesLineSeparators = escapesLineSeparators
  }

  /// Only what JSON requires: for canonical documents whose bytes are hashed, and API bodies.
  public static let required = JSONStringEscaping(escapesHTML: false, escapesLineSeparators: false)
  /// Go's `json.Marshal`.
  public static let goMarshal = JSONStringEscaping(escapesHTML: true, escapesLineSeparators: true)
  /// Go's encoder after `SetEscapeHTML(false)`: it still escapes the line separators.
  public static let goMarshalWithoutHTMLEscaping = JSONStringEscaping(
    escapesHTML: false, escapesLineSeparators: true)

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// Appends `text` as a quoted JSON string literal.
  func appendQuoted(_ text: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    var bytes = text.utf8.makeIterator()
    while let byte = bytes.next() {
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), byte]
      case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0..<0x20: Self.appendEscape(UInt32(byte), to: &output)
      case UInt8(ascii: "<") where escapesHTML, UInt8(ascii: ">") where escapesHTML,
        UInt8(ascii: "&") where escapesHTML:
        Self.appendEscape(UInt32(byte), to: &output)
      case 0xE2 where escapesLineSeparators:
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
        var lookahead = bytes
        if lookahead.next() == 0x80, let last = lookahead.next(), last == 0xA8 || last == 0xA9 {
          Self.appendEscape(last == 0xA8 ? 0x2028 : 0x2029, to: &output)
          bytes = lookahead
        } else {
          output.append(byte)
        }
      default: output.append(byte)
      }
    }
    output.append(UInt8(ascii: "\""))
  }

  /// `\uXXXX` with lowercase hexadecimal digits, as Go writes it.
  private static func appendEscape(_ scalar: UInt32, to output: inout [UInt8]) {
    output += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
    for shift in stride(from: 12, through: 0, by: -4) {
      output.append(hexDigits[Int((scalar >> UInt32(shift)) & 0xF)])
    }
  }
}
