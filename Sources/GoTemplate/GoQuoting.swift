/// Go's `strconv` quoting and unquoting, which string literals, `%q` and error messages use.

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
  if scalar.value < 0x80 { return scalar.value >= 0x20 && scalar.value < 0x7F }
  switch scalar.properties.generalCategory {
  case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
    .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
    .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
    .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol,
    .modifierSymbol, .otherSymbol:
    return true
  default:
    return false
  }
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// Appends the escaped form of one rune, as `strconv.appendEscapedRune` does.
private func appendEscaped(
  _ scalar: Unicode.Scalar, quote: UInt8, asciiOnly: Bool, to out: inout [UInt8]
) {
  let value = scalar.value
  if value == UInt32(quote) || value == UInt32(UInt8(ascii: "\\")) {
    out.append(UInt8(ascii: "\\"))
    out.append(UInt8(value))
    return
  }
  if asciiOnly {
    if value < 0x80 && isGoPrintable(scalar) {
      out.append(UInt8(value))
      return
    }
  } else if isGoPrintable(scalar) {
    out.append(contentsOf: String(Character(scalar)).utf8)
    return
  }
  switch value {
  case 0x07: out.append(contentsOf: Array("\\a".utf8))
  case 0x08: out.append(contentsOf: Array("\\b".utf8))
  case 0x0C: out.append(contentsOf: Array("\\f".utf8))
  case 0x0A: out.append(contentsOf: Array("\\n".utf8))
  case 0x0D: out.append(contentsOf: Array("\\r".utf8))
  case 0x09: out.append(contentsOf: Array("\\t".utf8))
  case 0x0B: out.append(contentsOf: Array("\\v".utf8))
  default:
    if value < 0x20 || value == 0x7F {
      out.append(contentsOf: Array("\\x".utf8))
      out.append(hexDigits[Int(value >> 4)])
      out.append(hexDigits[Int(value & 0xF)])
    } else if value < 0x10000 {
      out.append(contentsOf: Array("\\u".utf8))
      for shift in stride(from: 12, through: 0, by: -4) {
        out.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
      }
    } else {
      out.append(contentsOf: Array("\\U".utf8))
      for shift in stride(from: 28, through: 0, by: -4) {
        out.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
      }
    }
  }
}

/// Go's `strconv.Quote` (or `QuoteToASCII` when `asciiOnly`): what `%q` prints, and what Go's error
/// messages quote names and values with.
public func goQuote(_ text: String, asciiOnly: Bool = false) -> String {
  var out: [UInt8] = [UInt8(ascii: "\"")]
  out.reserveCapacity(text.utf8.count + 2)
  for scalar in text.unicodeScalars {
    appendEscaped(scalar, quote: UInt8(ascii: "\""), asciiOnly: asciiOnly, to: &out)
  }
  out.append(UInt8(ascii: "\""))
  return String(decoding: out, as: UTF8.self)
}

/// Go's `strconv.QuoteRune` (or `QuoteRuneToASCII`).
func goQuoteRune(_ value: Int, asciiOnly: Bool = false) -> String {
  let scalar =
    (value >= 0 && value <= 0x10FFFF) ? (Unicode.Scalar(UInt32(value)) ?? "\u{FFFD}") : "\u{FFFD}"
  var out: [UInt8] = [UInt8(ascii: "'")]
  appendEscaped(scalar, quote: UInt8(ascii: "'"), asciiOnly: asciiOnly, to: &out)
  out.append(UInt8(ascii: "'"))
  return String(decoding: out, as: UTF8.self)
}

/// Go's `strconv.CanBackquote`: whether `%#q` may print the string in backquotes.
func goCanBackquote(_ text: String) -> Bool {
  for scalar in text.unicodeScalars {
    if scalar == "`" || scalar == "\u{FEFF}" { return false }
    if scalar.value < 0x20 && scalar != "\t" { return false }
    if scalar.value == 0x7F { return false }
  }
  return true
}

/// Why an unquote failed; Go reports all of these as `invalid syntax`.
struct InvalidSyntax: Error {}

/// Decodes one possibly escaped character at `index` of a quoted literal, as
/// `strconv.UnquoteChar` does. Returns the scalar (or raw byte for `\x`/octal escapes) and the
/// index after it.
func goUnquoteChar(_ bytes: [UInt8], at index: Int, quote: UInt8) throws -> (
  value: UInt32, isByte: Bool, next: Int
) {
  guard index < bytes.count else { throw InvalidSyntax() }
  let first = bytes[index]
  if first == quote && (quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")) {
    throw InvalidSyntax()
  }
  if first != UInt8(ascii: "\\") {
    if first < 0x80 { return (UInt32(first), false, index + 1) }
    // Decode one UTF-8 sequence.
    var length = 1
    if first >= 0xF0 {
      length = 4
    } else if first >= 0xE0 {
      length = 3
    } else if first >= 0xC0 {
      length = 2
    }
    let end = min(index + length, bytes.count)
    let scalar = String(decoding: bytes[index..<end], as: UTF8.self).unicodeScalars.first!
    return (scalar.value, false, end)
  }
  guard index + 1 < bytes.count else { throw InvalidSyntax() }
  let escape = bytes[index + 1]
  var cursor = index + 2
  switch escape {
  case UInt8(ascii: "a"): return (7, false, cursor)
  case UInt8(ascii: "b"): return (8, false, cursor)
  case UInt8(ascii: "f"): return (12, false, cursor)
  case UInt8(ascii: "n"): return (10, false, cursor)
  case UInt8(ascii: "r"): return (13, false, cursor)
  case UInt8(ascii: "t"): return (9, false, cursor)
  case UInt8(ascii: "v"): return (11, false, cursor)
  case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
    let count = escape == UInt8(ascii: "x") ? 2 : (escape == UInt8(ascii: "u") ? 4 : 8)
    var value: UInt32 = 0
    for _ in 0..<count {
      guard cursor < bytes.count, let digit = hexValue(bytes[cursor]) else {
        throw InvalidSyntax()
      }
      value = value << 4 | digit
      cursor += 1
    }
    if escape == UInt8(ascii: "x") { return (value, true, cursor) }
    guard value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { throw InvalidSyntax() }
    return (value, false, cursor)
  case UInt8(ascii: "0")...UInt8(ascii: "7"):
    var value = UInt32(escape - UInt8(ascii: "0"))
    for _ in 0..<2 {
      guard cursor < bytes.count, bytes[cursor] >= UInt8(ascii: "0"),
        bytes[cursor] <= UInt8(ascii: "7")
      else { throw InvalidSyntax() }
      value = value << 3 | UInt32(bytes[cursor] - UInt8(ascii: "0"))
      cursor += 1
    }
    guard value <= 255 else { throw InvalidSyntax() }
    return (value, true, cursor)
  case UInt8(ascii: "\\"):
    return (UInt32(escape), false, cursor)
  case UInt8(ascii: "'"), UInt8(ascii: "\""):
    guard escape == quote else { throw InvalidSyntax() }
    return (UInt32(escape), false, cursor)
  default:
    throw InvalidSyntax()
  }
}

private func hexValue(_ byte: UInt8) -> UInt32? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
  case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
  case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
  default: return nil
  }
}

/// Go's `strconv.Unquote` for the three literal forms: "...", `...` and '...'.
func goUnquote(_ literal: String) throws -> String {
  let bytes = Array(literal.utf8)
  guard bytes.count >= 2, let quote = bytes.first, bytes.last == quote else {
    throw InvalidSyntax()
  }
  if quote == UInt8(ascii: "`") {
    let body = bytes[1..<(bytes.count - 1)]
    if body.contains(UInt8(ascii: "`")) { throw InvalidSyntax() }
    // Go drops carriage returns from raw strings.
    return String(decoding: body.filter { $0 != 0x0D }, as: UTF8.self)
  }
  guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw InvalidSyntax() }
  let body = Array(bytes[1..<(bytes.count - 1)])
  var out: [UInt8] = []
  out.reserveCapacity(body.count)
  var index = 0
  var runeCount = 0
  while index < body.count {
    if body[index] == UInt8(ascii: "\n") { throw InvalidSyntax() }
    let (value, isByte, next) = try goUnquoteChar(body, at: index, quote: quote)
    if isByte {
      out.append(UInt8(value))
    } else if let scalar = Unicode.Scalar(value) {
      out.append(contentsOf: String(Character(scalar)).utf8)
    }
    index = next
    runeCount += 1
  }
  if quote == UInt8(ascii: "'") && runeCount != 1 { throw InvalidSyntax() }
  return String(decoding: out, as: UTF8.self)
}
