/// The escapers behind the `html`, `js` and `urlquery` built-ins, byte for byte as Go's
/// `template.HTMLEscapeString`, `template.JSEscapeString` and `url.QueryEscape`.
enum TextEscaping {
  private static let upperHex = Array("0123456789ABCDEF".utf8)

  /// `&`, `<`, `>`, `"`, `'` as entities; NUL as U+FFFD.
  static func html(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out.append("&#34;")
      case "'": out.append("&#39;")
      case "&": out.append("&amp;")
      case "<": out.append("&lt;")
      case ">": out.append("&gt;")
      case "\u{0}": out.append("\u{FFFD}")
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Backslash escapes for quotes and backslashes, `\u00XX` for `<>&=` and control characters,
  /// `\uXXXX` for non-printable runes.
  static func javaScript(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out.append("\\\\")
      case "'": out.append("\\'")
      case "\"": out.append("\\\"")
      case "<": out.append("\\u003C")
      case ">": out.append("\\u003E")
      case "&": out.append("\\u0026")
      case "=": out.append("\\u003D")
      default:
        if scalar.value < 0x20 {
          out.append("\\u00")
          out.unicodeScalars.append(Unicode.Scalar(upperHex[Int(scalar.value >> 4)]))
          out.unicodeScalars.append(Unicode.Scalar(upperHex[Int(scalar.value & 0xF)]))
        } else if scalar.value < 0x80 || isGoPrintable(scalar) {
          out.unicodeScalars.append(scalar)
        } else {
          var hex = String(scalar.value, radix: 16, uppercase: true)
          while hex.count < 4 { hex = "0" + hex }
          out.append("\\u" + hex)
        }
      }
    }
    return out
  }

  /// Query-component escaping: letters, digits and `-_.~` kept, space as `+`, the rest `%XX`.
  static func queryComponent(_ text: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
        UInt8(ascii: "."), UInt8(ascii: "~"):
        out.append(byte)
      case UInt8(ascii: " "):
        out.append(UInt8(ascii: "+"))
      default:
        out.append(UInt8(ascii: "%"))
        out.append(upperHex[Int(byte >> 4)])
        out.append(upperHex[Int(byte & 0xF)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
