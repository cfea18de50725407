/// Splits template source into tokens with the rules of Go's `text/template/parse` lexer:
/// text between delimiters, trim markers (`{{- ` and ` -}}`), comments, and the words of actions.
///
/// It runs to completion up front; a lexical error becomes the last token, of kind `.error`, so
/// the parser reports it only when it gets there, as Go's concurrent lexer would.
struct Lexer {
  private let input: [UInt8]
  private let leftDelim: [UInt8]
  private let rightDelim: [UInt8]
  private var position = 0
  private var start = 0
  private var parenDepth = 0
  private var tokens: [Token] = []
  // Incremental line counting: positions only grow, so remember the last answer.
  private var lineCursor = 0
  private var lineAtCursor = 1

  private static let trimMarker = UInt8(ascii: "-")
  private static let commentStart = Array("/*".utf8)
  private static let commentEnd = Array("*/".utf8)

  init(input: [UInt8], leftDelim: String = "{{", rightDelim: String = "}}") {
    self.input = input
    self.leftDelim = Array(leftDelim.utf8)
    self.rightDelim = Array(rightDelim.utf8)
  }

  private enum State {
    case text
    case leftDelim
    case insideAction
    case done
  }

  /// All tokens, ending with `.eof` or `.error`.
  mutating func tokenize() -> [Token] {
    var state = State.text
    while true {
      switch state {
      case .text: state = lexText()
      case .leftDelim: state = lexLeftDelim()
      case .insideAction: state = lexInsideAction()
      case .done: return tokens
      }
    }
  }

  // MARK: - Helpers

  private func byte(at index: Int) -> UInt8? {
    index < input.count ? input[index] : nil
  }

  private func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
    guard index + prefix.count <= input.count else { return false }
    for offset in 0..<prefix.count where input[index + offset] != prefix[offset] {
      return false
    }
    return true
  }

  private func find(_ needle: [UInt8], from index: Int) -> Int? {
    guard !needle.isEmpty, input.count >= needle.count else { return nil }
    var candidate = index
    let first = needle[0]
    while candidate + needle.count <= input.count {
      if input[candidate] == first && hasPrefix(needle, at: candidate) { return candidate }
      candidate += 1
    }
    return nil
  }

  private mutating func line(at offset: Int) -> Int {
    if offset < lineCursor {
      lineCursor = 0
      lineAtCursor = 1
    }
    while lineCursor < offset {
      if input[lineCursor] == UInt8(ascii: "\n") { lineAtCursor += 1 }
      lineCursor += 1
    }
    return lineAtCursor
  }

  private mutating func emit(_ kind: TokenKind) {
    let text = String(decoding: input[start..<position], as: UTF8.self)
    tokens.append(Token(kind: kind, position: start, text: text, line: line(at: start)))
    start = position
  }

  private mutating func ignore() {
    start = position
  }

  private mutating func error(_ message: String) -> State {
    tokens.append(Token(kind: .error, position: start, text: message, line: line(at: start)))
    return .done
  }

  private static func isSpace(_ byte: UInt8?) -> Bool {
    guard let byte else { return false }
    return byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
  }

  private static func isAlphaNumeric(_ byte: UInt8) -> Bool {
    // Non-ASCII bytes belong to letters in practice (Go accepts any Unicode letter or digit).
    byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
      || (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
  }

  private func hasLeftTrimMarker(at index: Int) -> Bool {
    guard let first = byte(at: index) else { return false }
    return first == Self.trimMarker && Self.isSpace(byte(at: index + 1))
  }

  private func hasRightTrimMarker(at index: Int) -> Bool {
    Self.isSpace(byte(at: index)) && byte(at: index + 1) == Self.trimMarker
  }

  /// Whether the input at the current position is a right delimiter, perhaps with a trim marker.
  private func atRightDelim() -> (delim: Bool, trim: Bool) {
    if hasRightTrimMarker(at: position) && hasPrefix(rightDelim, at: position + 2) {
      return (true, true)
    }
    if hasPrefix(rightDelim, at: position) { return (true, false) }
    return (false, false)
  }

  private func leftTrimLength(from index: Int) -> Int {
    var end = index
    while end < input.count && Self.isSpace(input[end]) { end += 1 }
    return end - index
  }

  private func rightTrimLength(from lower: Int, to upper: Int) -> Int {
    var end = upper
    while end > lower && Self.isSpace(input[end - 1]) { end -= 1 }
    return upper - end
  }

  // MARK: - States

  private mutating func lexText() -> State {
    if let delimAt = find(leftDelim, from: position) {
      if delimAt > position {
        position = delimAt
        var trimLength = 0
        if hasLeftTrimMarker(at: delimAt + leftDelim.count) {
          trimLength = rightTrimLength(from: start, to: position)
        }
        position -= trimLength
        if position > start { emit(.text) }
        position += trimLength
        ignore()
      }
      return .leftDelim
    }
    position = input.count
    if position > start { emit(.text) }
    emit(.eof)
    return .done
  }

  private mutating func lexLeftDelim() -> State {
    position += leftDelim.count
    let trimSpace = hasLeftTrimMarker(at: position)
    let afterMarker = trimSpace ? 2 : 0
    if hasPrefix(Self.commentStart, at: position + afterMarker) {
      position += afterMarker
      ignore()
      return lexComment()
    }
    emit(.leftDelim)
    position += afterMarker
    ignore()
    parenDepth = 0
    return .insideAction
  }

  private mutating func lexComment() -> State {
    position += 2
    guard let end = find(Self.commentEnd, from: position) else {
      return error("unclosed comment")
    }
    position = end + 2
    let (delim, trimSpace) = atRightDelim()
    if !delim {
      return error("comment ends before closing delimiter")
    }
    // Comments are not kept in the tree; Go only emits them in ParseComments mode.
    if trimSpace { position += 2 }
    position += rightDelim.count
    if trimSpace { position += leftTrimLength(from: position) }
    ignore()
    return .text
  }

  private mutating func lexRightDelim() -> State {
    let (_, trimSpace) = atRightDelim()
    if trimSpace {
      position += 2
      ignore()
    }
    position += rightDelim.count
    emit(.rightDelim)
    if trimSpace {
      position += leftTrimLength(from: position)
      ignore()
    }
    return .text
  }

  private mutating func lexInsideAction() -> State {
    let (delim, _) = atRightDelim()
    if delim {
      if parenDepth == 0 { return lexRightDelim() }
      return error("unclosed left paren")
    }
    guard let current = byte(at: position) else {
      return error("unclosed action")
    }
    position += 1
    switch current {
    case _ where Self.isSpace(current):
      position -= 1
      return lexSpace()
    case UInt8(ascii: "="):
      emit(.assign)
    case UInt8(ascii: ":"):
      guard byte(at: position) == UInt8(ascii: "=") else {
        if byte(at: position) != nil { position += 1 }
        return error("expected :=")
      }
      position += 1
      emit(.declare)
    case UInt8(ascii: "|"):
      emit(.pipe)
    case UInt8(ascii: "\""):
      return lexQuote()
    case UInt8(ascii: "`"):
      return lexRawQuote()
    case UInt8(ascii: "$"):
      return lexFieldOrVariable(.variable)
    case UInt8(ascii: "'"):
      return lexChar()
    case UInt8(ascii: "."):
      // ".field" unless a digit follows, when "." starts a number.
      if let next = byte(at: position), next < UInt8(ascii: "0") || next > UInt8(ascii: "9") {
        return lexFieldOrVariable(.field)
      }
      position -= 1
      return lexNumber()
    case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      position -= 1
      return lexNumber()
    case _ where Self.isAlphaNumeric(current):
      position -= 1
      return lexIdentifier()
    case UInt8(ascii: "("):
      emit(.leftParen)
      parenDepth += 1
    case UInt8(ascii: ")"):
      parenDepth -= 1
      if parenDepth < 0 { return error("unexpected right paren") }
      emit(.rightParen)
    case 0x21...0x7E:
      emit(.char)
    default:
      return error("unrecognized character in action: \(goUnicodeSharp(Unicode.Scalar(current)))")
    }
    return .insideAction
  }

  private mutating func lexSpace() -> State {
    var count = 0
    while Self.isSpace(byte(at: position)) {
      position += 1
      count += 1
    }
    // A space followed by "-}}" belongs to the trim marker, not to the action.
    if hasRightTrimMarker(at: position - 1) && hasPrefix(rightDelim, at: position + 1) {
      position -= 1
      if count == 1 { return .insideAction }
    }
    emit(.space)
    return .insideAction
  }

  private func atTerminator() -> Bool {
    guard let next = byte(at: position) else { return true }
    if Self.isSpace(next) { return true }
    switch next {
    case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"),
      UInt8(ascii: ")"), UInt8(ascii: "("):
      return true
    default:
      return hasPrefix(rightDelim, at: position)
    }
  }

  private func badCharacter() -> String {
    let scalar = String(decoding: input[position...].prefix(4), as: UTF8.self).unicodeScalars
      .first!
    return "bad character \(goUnicodeSharp(scalar))"
  }

  private mutating func lexIdentifier() -> State {
    while let next = byte(at: position), Self.isAlphaNumeric(next) { position += 1 }
    if !atTerminator() { return error(badCharacter()) }
    let word = String(decoding: input[start..<position], as: UTF8.self)
    if let keyword = TokenKind.keywords[word], keyword != .dot {
      emit(keyword)
    } else if word == "true" || word == "false" {
      emit(.bool)
    } else {
      emit(.identifier)
    }
    return .insideAction
  }

  private mutating func lexFieldOrVariable(_ kind: TokenKind) -> State {
    if atTerminator() {
      emit(kind == .variable ? .variable : .dot)
      return .insideAction
    }
    while let next = byte(at: position), Self.isAlphaNumeric(next) { position += 1 }
    if !atTerminator() { return error(badCharacter()) }
    emit(kind)
    return .insideAction
  }

  private mutating func lexChar() -> State {
    while true {
      guard let next = byte(at: position) else { return error("unterminated character constant") }
      position += 1
      switch next {
      case UInt8(ascii: "\\"):
        guard let escaped = byte(at: position), escaped != UInt8(ascii: "\n") else {
          return error("unterminated character constant")
        }
        position += 1
      case UInt8(ascii: "\n"):
        return error("unterminated character constant")
      case UInt8(ascii: "'"):
        emit(.charConstant)
        return .insideAction
      default:
        break
      }
    }
  }

  private mutating func lexQuote() -> State {
    while true {
      guard let next = byte(at: position) else { return error("unterminated quoted string") }
      position += 1
      switch next {
      case UInt8(ascii: "\\"):
        guard let escaped = byte(at: position), escaped != UInt8(ascii: "\n") else {
          return error("unterminated quoted string")
        }
        position += 1
      case UInt8(ascii: "\n"):
        return error("unterminated quoted string")
      case UInt8(ascii: "\""):
        emit(.string)
        return .insideAction
      default:
        break
      }
    }
  }

  private mutating func lexRawQuote() -> State {
    while true {
      guard let next = byte(at: position) else { return error("unterminated raw quoted string") }
      position += 1
      if next == UInt8(ascii: "`") {
        emit(.rawString)
        return .insideAction
      }
    }
  }

  private mutating func accept(_ valid: String) -> Bool {
    if let next = byte(at: position), valid.utf8.contains(next) {
      position += 1
      return true
    }
    return false
  }

  private mutating func acceptRun(_ valid: String) {
    while let next = byte(at: position), valid.utf8.contains(next) { position += 1 }
  }

  private mutating func lexNumber() -> State {
    _ = accept("+-")
    var digits = "0123456789_"
    if accept("0") {
      if accept("xX") {
        digits = "0123456789abcdefABCDEF_"
      } else if accept("oO") {
        digits = "01234567_"
      } else if accept("bB") {
        digits = "01_"
      }
    }
    acceptRun(digits)
    if accept(".") { acceptRun(digits) }
    if digits.utf8.count == 11 && accept("eE") {
      _ = accept("+-")
      acceptRun("0123456789_")
    }
    if digits.utf8.count == 23 && accept("pP") {
      _ = accept("+-")
      acceptRun("0123456789_")
    }
    _ = accept("i")
    if let next = byte(at: position), Self.isAlphaNumeric(next) {
      position += 1
      let text = String(decoding: input[start..<position], as: UTF8.self)
      return error("bad number syntax: \(goQuote(text))")
    }
    emit(.number)
    return .insideAction
  }
}

/// Go's `%#U` of a rune: `U+0041 'A'`.
func goUnicodeSharp(_ scalar: Unicode.Scalar) -> String {
  var hex = String(scalar.value, radix: 16, uppercase: true)
  while hex.count < 4 { hex = "0" + hex }
  if isGoPrintable(scalar) { return "U+\(hex) '\(Character(scalar))'" }
  return "U+\(hex)"
}
