import Foundation
import GoTemplate

/// Sprig's regular expression functions, on Foundation's `NSRegularExpression` (ICU) with the
/// pattern translated from Go's RE2 syntax.
///
/// Translated: `(?P<name>` becomes `(?<name>`; `\d`, `\w`, `\s` and their negations become
/// RE2's ASCII classes; `\pL` becomes `\p{L}`; `$` outside a class (without the `m` flag) matches
/// only at the very end, as in Go; Go's replacement syntax (`$1`, `${1}`, `$name`, `$$`) is
/// expanded here rather than by ICU. Differences that remain: `\b` and POSIX classes such as
/// `[[:alpha:]]` are Unicode-aware here but ASCII in Go; ICU accepts backreferences and
/// lookaround, which RE2 rejects; compile error messages do not give RE2's reason.
enum RegexFunctions {
  static let functions: [String: TemplateFunction] = {
    var table: [String: TemplateFunction] = [
      "regexQuoteMeta": stringFunction(quoteMeta),
      // regexMatch swallows a bad pattern as false; the others panic on one.
      "regexMatch": function(2) { arguments in
        let pattern = try arguments.string(0)
        let text = try arguments.string(1)
        guard let regex = try? GoRegex(pattern) else { return false }
        return .bool(regex.firstMatch(in: text) != nil)
      },
      "mustRegexMatch": function(2) { arguments in
        .bool(
          try GoRegex(try arguments.string(0), mustCompile: false).firstMatch(
            in: try arguments.string(1)) != nil)
      },
    ]
    for prefix in ["regex", "mustRegex"] {
      table[prefix + "FindAll"] = function(3) { arguments in
        let regex = try GoRegex(try arguments.string(0))
        let text = try arguments.string(1)
        let limit = try arguments.int(2)
        return .list(
          regex.matches(in: text, limit: limit).map { .string(text.substring($0.range)) })
      }
      table[prefix + "Find"] = function(2) { arguments in
        let regex = try GoRegex(try arguments.string(0))
        let text = try arguments.string(1)
        return .string(regex.firstMatch(in: text).map { text.substring($0.range) } ?? "")
      }
      table[prefix + "ReplaceAll"] = function(3) { arguments in
        let regex = try GoRegex(try arguments.string(0))
        return .string(
          regex.replaceAll(
            in: try arguments.string(1), template: try arguments.string(2), literal: false))
      }
      table[prefix + "ReplaceAllLiteral"] = function(3) { arguments in
        let regex = try GoRegex(try arguments.string(0))
        return .string(
          regex.replaceAll(
            in: try arguments.string(1), template: try arguments.string(2), literal: true))
      }
      table[prefix + "Split"] = function(3) { arguments in
        let regex = try GoRegex(try arguments.string(0))
        return .list(
          regex.split(try arguments.string(1), limit: try arguments.int(2)).map { .string($0) })
      }
    }
    return table
  }()

  /// `regexp.QuoteMeta`.
  static func quoteMeta(_ text: String) -> String {
    var output = ""
    for character in text {
      if "\\.+*?()|[]{}^$".contains(character) { output.append("\\") }
      output.append(character)
    }
    return output
  }
}

/// A compiled Go regular expression.
struct GoRegex {
  let expression: NSRegularExpression
  let pattern: String

  /// Compiles `pattern`. `mustCompile` words a failure as Go's `regexp.MustCompile` panic
  /// does, otherwise as `regexp.Compile`'s error; the detail after "error parsing regexp:" is
  /// ICU's judgement, not RE2's.
  init(_ pattern: String, mustCompile: Bool = true) throws {
    self.pattern = pattern
    do {
      expression = try NSRegularExpression(pattern: GoRegex.translate(pattern))
    } catch {
      let message = "error parsing regexp: invalid pattern: \(GoRegex.backquote(pattern))"
      throw TemplateFunctionError(
        mustCompile ? "regexp: Compile(\(GoRegex.backquote(pattern))): " + message : message)
    }
  }

  private static func backquote(_ text: String) -> String {
    text.contains("`") ? GoPrinting.quote(text) : "`" + text + "`"
  }

  /// Rewrites RE2 syntax that ICU reads differently.
  static func translate(_ pattern: String) -> String {
    let multiline =
      pattern.range(of: #"\(\?[a-zA-Z]*m"#, options: .regularExpression) != nil
    var output = ""
    var inClass = false
    var characters = Array(pattern)[...]
    while let character = characters.first {
      characters = characters.dropFirst()
      switch character {
      case "\\":
        guard let next = characters.first else {
          output.append(character)
          break
        }
        characters = characters.dropFirst()
        // RE2's Perl classes are ASCII-only; ICU's are Unicode. Spell them out.
        let ascii: [Character: String] = ["d": "0-9", "w": "0-9A-Za-z_", "s": "\\t\\n\\f\\r "]
        if let members = ascii[next] {
          output += inClass ? members : "[" + members + "]"
        } else if let upper = ascii[Character(next.lowercased())], next.isUppercase, !inClass {
          output += "[^" + upper + "]"
        } else if next == "p" || next == "P", let name = characters.first, name != "{" {
          // RE2 allows a one-letter class name without braces: \pL.
          output += "\\" + String(next) + "{" + String(name) + "}"
          characters = characters.dropFirst()
        } else {
          output.append(character)
          output.append(next)
        }
      case "[" where !inClass:
        inClass = true
        output.append(character)
        // A `]` right after `[` or `[^` is literal in both dialects.
        if characters.first == "^" {
          output.append("^")
          characters = characters.dropFirst()
        }
        if characters.first == "]" {
          output.append("\\]")
          characters = characters.dropFirst()
        }
      case "[" where inClass:
        // RE2 reads `[` inside a class literally except in `[:name:]`; ICU nests sets.
        if characters.first == ":" {
          output.append("[")
        } else {
          output.append("\\[")
        }
      case "]" where inClass:
        inClass = false
        output.append(character)
      case "$" where !inClass && !multiline:
        output += "(?!(?s:.))"
      case "(" where !inClass && characters.starts(with: "?P<"):
        output += "(?<"
        characters = characters.dropFirst(3)
      default:
        output.append(character)
      }
    }
    // ICU rejects an empty pattern, which matches the empty string in Go.
    return output.isEmpty ? "(?:)" : output
  }

  func firstMatch(in text: String) -> NSTextCheckingResult? {
    expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
  }

  /// All matches as Go's `FindAll` reports them: an empty match right after the previous match
  /// is skipped; `limit` < 0 means all.
  func matches(in text: String, limit: Int) -> [NSTextCheckingResult] {
    if limit == 0 { return [] }
    var results: [NSTextCheckingResult] = []
    var previousEnd = -1
    for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
      if match.range.length == 0 && match.range.location == previousEnd { continue }
      results.append(match)
      previousEnd = match.range.location + match.range.length
      if limit > 0 && results.count == limit { break }
    }
    return results
  }

  /// `ReplaceAllString` (with Go's `$` expansion) or `ReplaceAllLiteralString`.
  func replaceAll(in text: String, template: String, literal: Bool) -> String {
    let string = text as NSString
    var output = ""
    var last = 0
    for match in matches(in: text, limit: -1) {
      output += string.substring(with: NSRange(location: last, length: match.range.location - last))
      output += literal ? template : expand(template, match: match, in: string)
      last = match.range.location + match.range.length
    }
    return output + string.substring(from: last)
  }

  /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`; a name is the longest run
  /// of letters, digits and underscores, so `$1x` is the (absent) group `1x`.
  private func expand(_ template: String, match: NSTextCheckingResult, in text: NSString) -> String
  {
    var output = ""
    var characters = Array(template.unicodeScalars)[...]
    func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
      scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }
    while let scalar = characters.first {
      characters = characters.dropFirst()
      guard scalar == "$", let next = characters.first else {
        output.unicodeScalars.append(scalar)
        continue
      }
      if next == "$" {
        output.append("$")
        characters = characters.dropFirst()
        continue
      }
      var name = ""
      if next == "{" {
        let rest = characters.dropFirst()
        guard let close = rest.firstIndex(of: "}"), close > rest.startIndex,
          rest[rest.startIndex..<close].allSatisfy(isNameCharacter)
        else {
          output.append("$")
          continue
        }
        name = String(String.UnicodeScalarView(rest[rest.startIndex..<close]))
        characters = rest[(close + 1)...]
      } else {
        let run = characters.prefix(while: isNameCharacter)
        guard !run.isEmpty else {
          output.append("$")
          continue
        }
        name = String(String.UnicodeScalarView(run))
        characters = characters.dropFirst(run.count)
      }
      output += group(name, match: match, in: text)
    }
    return output
  }

  private func group(_ name: String, match: NSTextCheckingResult, in text: NSString) -> String {
    let range: NSRange
    if let number = Int(name), name.allSatisfy(\.isASCII) {
      guard number < match.numberOfRanges else { return "" }
      range = match.range(at: number)
    } else {
      guard pattern.contains("<\(name)>") else { return "" }
      range = match.range(withName: name)
    }
    return range.location == NSNotFound ? "" : text.substring(with: range)
  }

  /// Go's `Regexp.Split`.
  func split(_ text: String, limit: Int) -> [String] {
    if limit == 0 { return [] }
    if !pattern.isEmpty && text.isEmpty { return [""] }
    let string = text as NSString
    var parts: [String] = []
    var begin = 0
    var end = 0
    for match in matches(in: text, limit: limit) {
      if limit > 0 && parts.count == limit - 1 { break }
      end = match.range.location
      if match.range.location + match.range.length != 0 {
        parts.append(string.substring(with: NSRange(location: begin, length: end - begin)))
      }
      begin = match.range.location + match.range.length
    }
    if end != string.length { parts.append(string.substring(from: begin)) }
    return parts
  }
}

extension String {
  /// The text in an `NSRange` of this string.
  func substring(_ range: NSRange) -> String {
    (self as NSString).substring(with: range)
  }
}
