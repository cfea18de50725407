import Foundation
import GoTemplate

/// Sprig's string functions. Where Go counts bytes (`trunc`, `substr`, `abbrev`, `wrap`), so do
/// these; a cut inside a multi-byte character yields U+FFFD where Go would yield a broken byte.
enum StringFunctions {
  static let functions: [String: TemplateFunction] = [
    "hello": function(0) { _ in "Hello!" },
    "abbrev": function(2) { arguments in
      let width = try arguments.int(0)
      let text = try arguments.string(1)
      if width < 4 { return .string(text) }
      return .string(abbreviate(Array(text.utf8), offset: 0, width: width))
    },
    "abbrevboth": function(3) { arguments in
      let left = try arguments.int(0)
      let right = try arguments.int(1)
      let text = try arguments.string(2)
      if right < 4 || left > 0 && right < 7 { return .string(text) }
      return .string(abbreviate(Array(text.utf8), offset: left, width: right))
    },
    "trunc": function(2) { arguments in
      let count = try arguments.int(0)
      let bytes = Array(try arguments.string(1).utf8)
      if count < 0 && bytes.count + count > 0 {
        return .string(fromBytes(bytes[(bytes.count + count)...]))
      }
      if count >= 0 && bytes.count > count { return .string(fromBytes(bytes[..<count])) }
      return .string(fromBytes(bytes[...]))
    },
    "trim": stringFunction { $0.trimmingCharacters(in: .whitespacesAndNewlines) },
    "upper": stringFunction { mapScalars($0) { $0.properties.uppercaseMapping } },
    "lower": stringFunction {
      // U+0130 is the one character whose simple lower case (i) is not its full one (i̇).
      mapScalars($0) { $0 == "\u{130}" ? "i" : $0.properties.lowercaseMapping }
    },
    "title": stringFunction(title),
    "untitle": stringFunction(untitle),
    "substr": function(3) { arguments in
      let start = try arguments.int(0)
      let end = try arguments.int(1)
      let bytes = Array(try arguments.string(2).utf8)
      if start < 0 {
        guard end >= 0, end <= bytes.count else { throw sliceBounds(":\(end)", bytes.count) }
        return .string(fromBytes(bytes[..<end]))
      }
      if end < 0 || end > bytes.count {
        guard start <= bytes.count else {
          throw TemplateFunctionError(
            "runtime error: slice bounds out of range [\(start):\(bytes.count)]")
        }
        return .string(fromBytes(bytes[start...]))
      }
      guard start <= end else {
        throw TemplateFunctionError("runtime error: slice bounds out of range [\(start):\(end)]")
      }
      return .string(fromBytes(bytes[start..<end]))
    },
    "repeat": function(2) { arguments in
      let count = try arguments.int(0)
      let text = try arguments.string(1)
      guard count >= 0 else { throw TemplateFunctionError("strings: negative Repeat count") }
      return .string(String(repeating: text, count: count))
    },
    "trimall": trimFunction { text, cutset in trim(text, cutset: cutset) },
    "trimAll": trimFunction { text, cutset in trim(text, cutset: cutset) },
    "trimSuffix": trimFunction { text, suffix in
      text.hasSuffix(suffix) && !suffix.isEmpty
        ? fromBytes(Array(text.utf8).dropLast(suffix.utf8.count)) : text
    },
    "trimPrefix": trimFunction { text, prefix in
      text.hasPrefix(prefix) && !prefix.isEmpty
        ? fromBytes(Array(text.utf8).dropFirst(prefix.utf8.count)) : text
    },
    "nospace": stringFunction(deleteWhiteSpace),
    "initials": stringFunction(initials),
    "swapcase": stringFunction(swapCase),
    "snakecase": stringFunction { CaseConversion.lowerCaseWords($0, connector: "_") },
    "kebabcase": stringFunction { CaseConversion.lowerCaseWords($0, connector: "-") },
    "camelcase": stringFunction(CaseConversion.camelCase),
    "shuffle": stringFunction { String($0.unicodeScalars.shuffled().map(Character.init)) },
    "wrap": function(2) { arguments in
      .string(
        wrap(try arguments.string(1), width: try arguments.int(0), newline: "\n", long: false))
    },
    "wrapWith": function(3) { arguments in
      .string(
        wrap(
          try arguments.string(2), width: try arguments.int(0), newline: try arguments.string(1),
          long: true))
    },
    "contains": function(2) { arguments in
      let needle = try arguments.string(0)
      let haystack = try arguments.string(1)
      return .bool(needle.isEmpty || haystack.utf8.firstRange(of: needle.utf8) != nil)
    },
    "hasPrefix": function(2) { .bool(try $0.string(1).utf8.starts(with: try $0.string(0).utf8)) },
    "hasSuffix": function(2) { arguments in
      .bool(
        Array(try arguments.string(1).utf8).reversed().starts(
          with: Array(try arguments.string(0).utf8).reversed()))
    },
    "quote": variadic(0) { arguments in
      .string(
        arguments.filter { !$0.isNilValue }.map { GoPrinting.quote(GoPrinting.string($0)) }
          .joined(separator: " "))
    },
    "squote": variadic(0) { arguments in
      .string(
        arguments.filter { !$0.isNilValue }.map { "'" + GoPrinting.string($0) + "'" }
          .joined(separator: " "))
    },
    "cat": variadic(0) { arguments in
      .string(arguments.filter { !$0.isNilValue }.map(GoPrinting.format).joined(separator: " "))
    },
    "indent": function(2) { arguments in
      .string(try indent(try arguments.int(0), try arguments.string(1)))
    },
    "nindent": function(2) { arguments in
      .string("\n" + (try indent(try arguments.int(0), try arguments.string(1))))
    },
    "replace": function(3) { arguments in
      .string(
        replaceAll(
          try arguments.string(2), old: try arguments.string(0), new: try arguments.string(1)))
    },
    "plural": function(3) { arguments in
      let one = try arguments.string(0)
      let many = try arguments.string(1)
      return .string(try arguments.int(2) == 1 ? one : many)
    },
    "toString": function(1) { .string(GoPrinting.string($0[0])) },
    "split": function(2) { arguments in
      let parts = splitString(
        try arguments.string(1), separator: try arguments.string(0), limit: -1)
      return indexedMap(parts)
    },
    "splitList": function(2) { arguments in
      .list(
        splitString(try arguments.string(1), separator: try arguments.string(0), limit: -1).map {
          .string($0)
        })
    },
    "splitn": function(3) { arguments in
      let parts = splitString(
        try arguments.string(2), separator: try arguments.string(0), limit: try arguments.int(1))
      return indexedMap(parts)
    },
    "toStrings": function(1) { .list(Cast.toStrings($0[0]).map { .string($0) }) },
    "join": function(2) { arguments in
      .string(Cast.toStrings(arguments[1]).joined(separator: try arguments.string(0)))
    },
    "sortAlpha": function(1) { arguments in
      switch arguments[0] {
      case .list:
        return .list(
          Cast.toStrings(arguments[0]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { .string($0) })
      default:
        return .list([.string(GoPrinting.string(arguments[0]))])
      }
    },
  ]

  /// Go's rune-by-rune case mapping (`unicode.ToUpper`): a character whose full mapping is
  /// more than one character (ß to SS) keeps its simple mapping, which is itself. (Greek letters
  /// with ypogegrammeni, whose simple upper case is their title case, stay unchanged here.)
  static func mapScalars(_ text: String, _ mapping: (Unicode.Scalar) -> String) -> String {
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      let mapped = mapping(scalar).unicodeScalars
      if mapped.count == 1 { result.append(mapped.first!) } else { result.append(scalar) }
    }
    return String(result)
  }

  /// A function of two strings whose Go order is `(cutset, text)`.
  private static func trimFunction(_ body: @escaping @Sendable (String, String) -> String)
    -> TemplateFunction
  {
    function(2) { arguments in .string(body(try arguments.string(1), try arguments.string(0))) }
  }

  static func fromBytes<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    String(decoding: Array(bytes), as: UTF8.self)
  }

  private static func sliceBounds(_ range: String, _ length: Int) -> TemplateFunctionError {
    TemplateFunctionError(
      "runtime error: slice bounds out of range [\(range)] with length \(length)")
  }

  /// Go's `unicode.IsSpace`.
  static func isGoSpace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
    default: return scalar.value > 0xFF && scalar.properties.isWhitespace
    }
  }

  /// `strings.Trim(text, cutset)`: drops leading and trailing characters found in `cutset`.
  static func trim(_ text: String, cutset: String) -> String {
    let set = Set(cutset.unicodeScalars)
    let scalars = Array(text.unicodeScalars)
    guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
    let last = scalars.lastIndex(where: { !set.contains($0) })!
    return String(String.UnicodeScalarView(scalars[first...last]))
  }

  /// goutils `AbbreviateFull`, byte-based as in Go.
  static func abbreviate(_ bytes: [UInt8], offset requestedOffset: Int, width: Int) -> String {
    if bytes.isEmpty { return "" }
    if bytes.count <= width { return fromBytes(bytes) }
    var offset = min(requestedOffset, bytes.count)
    if bytes.count - offset < width - 3 { offset = bytes.count - (width - 3) }
    if offset <= 4 { return fromBytes(bytes[..<(width - 3)]) + "..." }
    if width < 7 { return fromBytes(bytes) }
    if offset + width - 3 < bytes.count {
      return "..." + abbreviate(Array(bytes[offset...]), offset: 0, width: width - 3)
    }
    return "..." + fromBytes(bytes[(bytes.count - (width - 3))...])
  }

  /// Go's deprecated `strings.Title`: upper-cases each letter that starts a word.
  static func title(_ text: String) -> String {
    var previous: Unicode.Scalar = " "
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isTitleSeparator(previous) {
        // unicode.ToTitle: the title-case mapping when it is one character.
        result.append(
          contentsOf: mapScalars(String(scalar)) { $0.properties.titlecaseMapping }.unicodeScalars)
      } else {
        result.append(scalar)
      }
      previous = scalar
    }
    return String(result)
  }

  /// `strings.Title`'s word boundary: anything but ASCII letters, digits and underscore, Unicode
  /// letters and digits, where Unicode spaces are boundaries too.
  private static func isTitleSeparator(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
      let character = Character(scalar)
      return !(character.isLetter || character.isNumber || character == "_")
    }
    if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return false }
    return scalar.properties.isWhitespace
  }

  /// goutils `Uncapitalize`: lower-cases the first letter of each whitespace-separated word.
  static func untitle(_ text: String) -> String {
    var atWordStart = true
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isGoSpace(scalar) {
        atWordStart = true
        result.append(scalar)
      } else if atWordStart {
        result.append(contentsOf: String(scalar).lowercased().unicodeScalars)
        atWordStart = false
      } else {
        result.append(scalar)
      }
    }
    return String(result)
  }

  /// goutils `DeleteWhiteSpace`, which walks bytes as if each were a character: when it removes
  /// anything, every other byte of a multi-byte character comes out as its Latin-1 character.
  static func deleteWhiteSpace(_ text: String) -> String {
    let bytes = Array(text.utf8)
    var kept = String.UnicodeScalarView()
    for byte in bytes where !isGoSpace(Unicode.Scalar(byte)) {
      kept.append(Unicode.Scalar(byte))
    }
    return kept.count == bytes.count ? text : String(kept)
  }

  /// goutils `Initials`: the first byte of each whitespace-separated word, read as a Latin-1
  /// character (Go's `string(str[i])`), so a multi-byte first letter comes out garbled as in Go.
  static func initials(_ text: String) -> String {
    var atWordStart = true
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isGoSpace(scalar) {
        atWordStart = true
      } else if atWordStart {
        result.append(Unicode.Scalar(String(scalar).utf8.first!))
        atWordStart = false
      }
    }
    return String(result)
  }

  /// goutils `SwapCase`: upper to lower, lower to upper (title case after whitespace, which for
  /// the letters that have one is the upper case).
  static func swapCase(_ text: String) -> String {
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      let properties = scalar.properties
      if properties.isUppercase || properties.generalCategory == .titlecaseLetter {
        result.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
      } else if properties.isLowercase {
        result.append(contentsOf: properties.uppercaseMapping.unicodeScalars)
      } else {
        result.append(scalar)
      }
    }
    return String(result)
  }

  /// goutils `WrapCustom`, byte-based as in Go.
  static func wrap(_ text: String, width requestedWidth: Int, newline: String, long: Bool) -> String
  {
    let bytes = Array(text.utf8)
    if bytes.isEmpty { return "" }
    let newline = newline.isEmpty ? "\n" : newline
    let width = max(requestedWidth, 1)
    var offset = 0
    var output = ""
    let space = UInt8(ascii: " ")
    while bytes.count - offset > width {
      if bytes[offset] == space {
        offset += 1
        continue
      }
      let end = min(width + offset + 1, bytes.count)
      if let spaceIndex = bytes[offset..<end].lastIndex(of: space) {
        output += StringFunctions.fromBytes(bytes[offset..<spaceIndex]) + newline
        offset = spaceIndex + 1
      } else if long {
        output += StringFunctions.fromBytes(bytes[offset..<(offset + width)]) + newline
        offset += width
      } else if let spaceIndex = bytes[(width + offset)...].firstIndex(of: space) {
        output += StringFunctions.fromBytes(bytes[offset..<spaceIndex]) + newline
        offset = spaceIndex + 1
      } else {
        output += StringFunctions.fromBytes(bytes[offset...])
        offset = bytes.count
      }
    }
    return output + StringFunctions.fromBytes(bytes[offset...])
  }

  static func indent(_ spaces: Int, _ text: String) throws -> String {
    guard spaces >= 0 else { throw TemplateFunctionError("strings: negative Repeat count") }
    let pad = String(repeating: " ", count: spaces)
    return pad + text.replacingOccurrences(of: "\n", with: "\n" + pad)
  }

  /// `strings.Replace(text, old, new, -1)`; an empty `old` matches before every character and at
  /// the end, as in Go.
  static func replaceAll(_ text: String, old: String, new: String) -> String {
    if old.isEmpty {
      var result = new
      for scalar in text.unicodeScalars {
        result.unicodeScalars.append(scalar)
        result += new
      }
      return result
    }
    return text.replacingOccurrences(of: old, with: new, options: .literal)
  }

  /// `strings.SplitN(text, separator, limit)`: limit < 0 splits all; an empty separator splits
  /// into characters.
  static func splitString(_ text: String, separator: String, limit: Int) -> [String] {
    if limit == 0 { return [] }
    if separator.isEmpty {
      var parts = text.unicodeScalars.map { String($0) }
      if limit > 0 && parts.count > limit {
        let rest = parts[(limit - 1)...].joined()
        parts = Array(parts[..<(limit - 1)]) + [rest]
      }
      return parts
    }
    var parts: [String] = []
    var remainder = Substring(text)
    while limit < 0 || parts.count < limit - 1,
      let range = remainder.range(of: separator, options: .literal)
    {
      parts.append(String(remainder[..<range.lowerBound]))
      remainder = remainder[range.upperBound...]
    }
    parts.append(String(remainder))
    return parts
  }

  /// `split`'s result: a map from `_0`, `_1`, ... to the parts.
  private static func indexedMap(_ parts: [String]) -> TemplateValue {
    var map: [String: TemplateValue] = [:]
    for (index, part) in parts.enumerated() { map["_\(index)"] = .string(part) }
    return .map(TemplateMap(map))
  }
}
