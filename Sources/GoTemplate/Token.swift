/// The kinds of lexical items, as Go's `text/template/parse` distinguishes them.
enum TokenKind: Equatable {
  case error
  case bool
  case char  // a printable ASCII character that is grammar, such as ','
  case charConstant
  case comment
  case assign
  case declare
  case eof
  case field
  case identifier
  case leftDelim
  case leftParen
  case number
  case pipe
  case rawString
  case rightDelim
  case rightParen
  case space
  case string
  case text
  case variable
  // Keywords; printed as `<word>` in error messages.
  case block
  case breakKeyword
  case continueKeyword
  case dot
  case define
  case elseKeyword
  case end
  case ifKeyword
  case nilKeyword
  case range
  case template
  case with

  var isKeyword: Bool {
    switch self {
    case .block, .breakKeyword, .continueKeyword, .dot, .define, .elseKeyword, .end, .ifKeyword,
      .nilKeyword, .range, .template, .with:
      return true
    default:
      return false
    }
  }

  static let keywords: [String: TokenKind] = [
    ".": .dot, "block": .block, "break": .breakKeyword, "continue": .continueKeyword,
    "define": .define, "else": .elseKeyword, "end": .end, "if": .ifKeyword, "range": .range,
    "nil": .nilKeyword, "template": .template, "with": .with,
  ]
}

/// One lexical item: its kind, its text, and where it starts (byte offset and 1-based line).
struct Token {
  var kind: TokenKind
  var position: Int
  var text: String
  var line: Int
}

extension Token: CustomStringConvertible {
  /// The item as Go's parser quotes it in messages: `"}"`, `<end>`, `EOF`, `"a long val"...`.
  var description: String {
    switch kind {
    case .eof: return "EOF"
    case .error: return text
    default:
      if kind.isKeyword { return "<\(text)>" }
      let scalars = Array(text.unicodeScalars)
      if scalars.count > 10 {
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: scalars[0..<10])
        return goQuote(String(prefix)) + "..."
      }
      return goQuote(text)
    }
  }
}
