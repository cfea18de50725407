/// A JSON pointer (RFC 6901): `/spec/replicas`, `/metadata/annotations/example.com~1owner` (`~1` is
/// `/` and `~0` is `~` inside a key). Ignore lists name the fields that never count in a diff with them.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
  /// The unescaped reference tokens; empty for the pointer to the whole document (`""`).
  public let tokens: [String]

  /// Parses the text form; throws when it does not start with `/` or holds a `~` not followed by 0 or 1.
  public init(_ text: String) throws(JSONPointerError) {
    guard !text.isEmpty else {
      tokens = []
      return
    }
    guard text.hasPrefix("/") else { throw .missingLeadingSlash(pointer: text) }
    var tokens: [String] = []
    for (index, escaped) in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
      .enumerated()
    {
      tokens.append(try Self.unescape(escaped, tokenIndex: index, pointer: text))
    }
    self.tokens = tokens
  }

  /// A pointer made of already unescaped tokens.
  public init(tokens: [String]) { self.tokens = tokens }

  /// The text form, with `~` and `/` escaped.
  public var description: String {
    tokens.map {
      "/" + $0.replacingOccurrences("~", with: "~0").replacingOccurrences("/", with: "~1")
    }
    .joined()
  }

  private static func unescape(_ token: Substring, tokenIndex: Int, pointer: String)
    throws(JSONPointerError) -> String
  {
    guard token.contains("~") else { return String(token) }
    var result = ""
    var iterator = token.makeIterator()
    while let character = iterator.next() {
      guard character == "~" else {
        result.append(character)
        continue
      }
      switch iterator.next() {
      case "0": result.append("~")
      case "1": result.append("/")
      default: throw .invalidEscape(pointer: pointer, token: String(token))
      }
    }
    return result
  }
}

/// Why a JSON pointer's text is not a pointer.
public enum JSONPointerError: Error, Equatable, CustomStringConvertible {
  case missingLeadingSlash(pointer: String)
  case invalidEscape(pointer: String, token: String)

  public var description: String {
    switch self {
    case .missingLeadingSlash(let pointer):
      return "JSON pointer \"\(pointer)\" must start with \"/\" (RFC 6901), "
        + "e.g. \"/spec/replicas\"; write \"\" for the whole object"
    case .invalidEscape(let pointer, let token):
      return "JSON pointer \"\(pointer)\": \"~\" in \"\(token)\" must be followed by 0 (for \"~\") "
        + "or 1 (for \"/\") (RFC 6901)"
    }
  }
}

extension String {
  /// Foundation-free replacement (the module does not import Foundation).
  fileprivate func replacingOccurrences(_ target: Character, with replacement: String) -> String {
    guard contains(target) else { return self }
    var result = ""
    for character in self {
      if character == target { result += replacement } else { result.append(character) }
    }
    return result
  }
}
