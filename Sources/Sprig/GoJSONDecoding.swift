import GoTemplate

/// Go's `json.Unmarshal` into an `interface{}`: objects become maps, arrays lists, numbers
/// float64, as Sprig's `fromJson` returns them.
struct GoJSONDecoder {
  /// Why the text is not JSON, worded as Go's decoder words it.
  struct DecodingError: Error {
    let message: String
  }

  private let bytes: [UInt8]
  private var position = 0

  /// Decodes one JSON value; whitespace may surround it, nothing else.
  static func decode(_ text: String) throws -> TemplateValue {
    var decoder = GoJSONDecoder(bytes: Array(text.utf8))
    decoder.skipWhitespace()
    let value = try decoder.value(context: "looking for beginning of value")
    decoder.skipWhitespace()
    if decoder.position < decoder.bytes.count {
      throw decoder.invalidCharacter("after top-level value")
    }
    return value
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private mutating func skipWhitespace() {
    while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
      position += 1
    }
  }

  /// Go's scanner error for the byte at the position. At the end of input inside a literal or
  /// number, Go's scanner feeds a space and reports that (`invalid character ' ' in literal
  /// true (expecting 'e')`); elsewhere the input simply ended.
  private func invalidCharacter(_ context: String) -> DecodingError {
    guard position < bytes.count else {
      if context.contains("literal") {
        return DecodingError(message: "invalid character ' ' \(context)")
      }
      return DecodingError(message: "unexpected end of JSON input")
    }
    let byte = bytes[position]
    let shown: String
    switch byte {
    case UInt8(ascii: "'"): shown = "'\\''"
    case UInt8(ascii: "\""): shown = "'\"'"
    case 0x20..<0x7F: shown = "'\(Character(Unicode.Scalar(byte)))'"
    default: shown = GoPrinting.quote(String(decoding: [byte], as: UTF8.self))
    }
    return DecodingError(message: "invalid character \(shown) \(context)")
  }

  private mutating func value(context: String) throws -> TemplateValue {
    guard position < bytes.count else {
      throw DecodingError(message: "unexpected end of JSON input")
    }
    switch bytes[position] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw invalidCharacter(context)
    }
  }

  private mutating func literal(_ word: String, _ value: TemplateValue) throws -> TemplateValue {
    for expected in word.utf8 {
      guard position < bytes.count, bytes[position] == expected else {
        throw invalidCharacter(
          "in literal \(word) (expecting '\(Character(Unicode.Scalar(expected)))')")
      }
      position += 1
    }
    return value
  }

  private mutating func number() throws -> TemplateValue {
    let start = position
    func digits() {
      while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
    }
    if bytes[position] == UInt8(ascii: "-") { position += 1 }
    guard position < bytes.count else { throw invalidCharacter("in numeric literal") }
    if bytes[position] == UInt8(ascii: "0") {
      position += 1
    } else if (0x31...0x39).contains(bytes[position]) {
      digits()
    } else {
      throw invalidCharacter("in numeric literal")
    }
    if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
      position += 1
      guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else {
        throw invalidCharacter("after decimal point in numeric literal")
      }
      digits()
    }
    if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
      position += 1
      if position < bytes.count,
        bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
      {
        position += 1
      }
      guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else {
        throw invalidCharacter("in exponent of numeric literal")
      }
      digits()
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    guard let value = Double(text), value.isFinite else {
      throw DecodingError(
        message: "json: cannot unmarshal number \(text) into Go value of type float64")
    }
    return .float(value)
  }

  private mutating func string() throws -> String {
    position += 1
    var output: [UInt8] = []
    while true {
      guard position < bytes.count else {
        throw DecodingError(message: "unexpected end of JSON input")
      }
      let byte = bytes[position]
      position += 1
      switch byte {
      case UInt8(ascii: "\""):
        return String(decoding: output, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard position < bytes.count else {
          throw DecodingError(message: "unexpected end of JSON input")
        }
        let escape = bytes[position]
        position += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if (0xD800..<0xDC00).contains(scalar), position + 1 < bytes.count,
            bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
          {
            let saved = position
            position += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
              scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
            } else {
              position = saved
            }
          }
          let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
          output += Array(String(character).utf8)
        default:
          position -= 1
          throw invalidCharacter("in string escape code")
        }
      case 0x00..<0x20:
        position -= 1
        throw invalidCharacter("in string literal")
      default:
        output.append(byte)
      }
    }
  }

  private mutating func hex4() throws -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard position < bytes.count else {
        throw DecodingError(message: "unexpected end of JSON input")
      }
      guard let digit = Int(String(Character(Unicode.Scalar(bytes[position]))), radix: 16) else {
        throw invalidCharacter("in \\u hexadecimal character escape")
      }
      value = value << 4 | UInt32(digit)
      position += 1
    }
    return value
  }

  private mutating func array() throws -> TemplateValue {
    position += 1
    var items: [TemplateValue] = []
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
      position += 1
      return .list(items)
    }
    while true {
      skipWhitespace()
      items.append(try value(context: "looking for beginning of value"))
      skipWhitespace()
      guard position < bytes.count else {
        throw DecodingError(message: "unexpected end of JSON input")
      }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
        continue
      }
      if bytes[position] == UInt8(ascii: "]") {
        position += 1
        return .list(items)
      }
      throw invalidCharacter("after array element")
    }
  }

  private mutating func object() throws -> TemplateValue {
    position += 1
    var map: [String: TemplateValue] = [:]
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
      position += 1
      return .map(TemplateMap(map))
    }
    while true {
      skipWhitespace()
      guard position < bytes.count else {
        throw DecodingError(message: "unexpected end of JSON input")
      }
      guard bytes[position] == UInt8(ascii: "\"") else {
        throw invalidCharacter("looking for beginning of object key string")
      }
      let key = try string()
      skipWhitespace()
      guard position < bytes.count else {
        throw DecodingError(message: "unexpected end of JSON input")
      }
      guard bytes[position] == UInt8(ascii: ":") else {
        throw invalidCharacter("after object key")
      }
      position += 1
      skipWhitespace()
      map[key] = try value(context: "looking for beginning of value")
      skipWhitespace()
      guard position < bytes.count else {
        throw DecodingError(message: "unexpected end of JSON input")
      }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
        continue
      }
      if bytes[position] == UInt8(ascii: "}") {
        position += 1
        return .map(TemplateMap(map))
      }
      throw invalidCharacter("after object key:value pair")
    }
  }
}
