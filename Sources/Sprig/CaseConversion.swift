/// The word-case conversions Sprig takes from `huandu/xstrings`: `snakecase`, `kebabcase` and
/// `camelcase`.
///
/// The rules were reconstructed from xstrings' documented examples and checked against Helm's
/// output (see the oracle tests): words break at lower-to-upper changes and before the last
/// capital of a capital run that precedes lower case ("HTTPServer" is "http_server"); a number
/// joins the word before it unless lower case follows it ("Bld4Floor" is "bld4_floor", "HTTP2xx"
/// is "http_2xx"); `-`, `_` and spaces each become one connector; other punctuation stays.
enum CaseConversion {
  private enum Kind { case alpha, number, connector, punctuation }
  private struct Token {
    var kind: Kind
    var scalars: [Unicode.Scalar]
    var startsLower: Bool { scalars.first.map(isLowerLike) ?? false }
  }

  private static func isConnector(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "-" || scalar == "_" || StringFunctions.isGoSpace(scalar)
  }

  private static func isUpper(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isUppercase || scalar.properties.generalCategory == .titlecaseLetter
  }

  private static func isLowerLike(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isAlphabetic && !isUpper(scalar)
  }

  private static func kind(of scalar: Unicode.Scalar) -> Kind {
    if isConnector(scalar) { return .connector }
    if scalar.properties.numericType == .decimal { return .number }
    if scalar.properties.isAlphabetic { return .alpha }
    return .punctuation
  }

  /// Splits text into alphabetic words, numbers, single connectors and punctuation runs.
  private static func tokens(_ text: String) -> [Token] {
    var tokens: [Token] = []
    let scalars = Array(text.unicodeScalars)
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      let kind = kind(of: scalar)
      switch kind {
      case .connector:
        tokens.append(Token(kind: .connector, scalars: [scalar]))
        index += 1
      case .number, .punctuation:
        var end = index
        while end < scalars.count && self.kind(of: scalars[end]) == kind { end += 1 }
        tokens.append(Token(kind: kind, scalars: Array(scalars[index..<end])))
        index = end
      case .alpha:
        var end = index + 1
        if isUpper(scalar) {
          // A capital run: it ends before its last capital when lower case follows.
          while end < scalars.count && self.kind(of: scalars[end]) == .alpha
            && isUpper(scalars[end])
          {
            end += 1
          }
          if end - index > 1 && end < scalars.count && self.kind(of: scalars[end]) == .alpha {
            end -= 1
          } else if end - index == 1 {
            while end < scalars.count && self.kind(of: scalars[end]) == .alpha
              && !isUpper(scalars[end])
            {
              end += 1
            }
          }
        } else {
          while end < scalars.count && self.kind(of: scalars[end]) == .alpha
            && !isUpper(scalars[end])
          {
            end += 1
          }
        }
        tokens.append(Token(kind: .alpha, scalars: Array(scalars[index..<end])))
        index = end
      }
    }
    return tokens
  }

  /// `ToSnakeCase` (connector `_`) and `ToKebabCase` (connector `-`).
  static func lowerCaseWords(_ text: String, connector: Character) -> String {
    let tokens = tokens(text)
    var output = ""
    var previousIsWord = false
    var index = 0
    func lower(_ token: Token) -> String {
      String(String.UnicodeScalarView(token.scalars)).lowercased()
    }
    while index < tokens.count {
      let token = tokens[index]
      switch token.kind {
      case .connector:
        output.append(connector)
        previousIsWord = false
      case .punctuation:
        output += lower(token)
        previousIsWord = false
      case .alpha:
        if previousIsWord { output.append(connector) }
        output += lower(token)
        previousIsWord = true
      case .number:
        let next = index + 1 < tokens.count ? tokens[index + 1] : nil
        if let next, next.kind == .alpha, next.startsLower {
          // Lower case after a number: the number starts a word that absorbs what follows.
          if previousIsWord { output.append(connector) }
          output += lower(token)
          index += 1
          while index < tokens.count
            && (tokens[index].kind == .alpha || tokens[index].kind == .number)
          {
            output += lower(tokens[index])
            index += 1
          }
          previousIsWord = true
          continue
        }
        output += lower(token)
        previousIsWord = true
      }
      index += 1
    }
    return output
  }

  /// `ToCamelCase`: connectors (`-`, `_`, spaces) are dropped and the next letter capitalised;
  /// leading connectors stay, a doubled connector keeps one, a trailing one stays. The first
  /// letter is capitalised, and a capital run that starts the text is lower-cased after its
  /// first letter ("HTTPServer" is "Httpserver", "ID" is "Id").
  static func camelCase(_ text: String) -> String {
    var scalars = Array(text.unicodeScalars)[...]
    var output = String.UnicodeScalarView()
    while let first = scalars.first, isConnector(first) {
      output.append(first)
      scalars = scalars.dropFirst()
    }
    guard let first = scalars.first else { return String(output) }
    var leadingCapitals = isUpper(first)
    var current = upper(first)
    scalars = scalars.dropFirst()
    var previousOriginal = first
    for scalar in scalars {
      let previous = current
      var next = scalar
      if isConnector(next) && isConnector(previousOriginal) {
        output.append(previous)
        current = next
        previousOriginal = scalar
        continue
      }
      if isConnector(previousOriginal) {
        next = upper(next)
        leadingCapitals = false
      } else {
        output.append(previous)
        if leadingCapitals && isUpper(next) {
          next = lowerScalar(next)
        } else {
          leadingCapitals = false
        }
      }
      current = next
      previousOriginal = scalar
    }
    output.append(current)
    return String(output)
  }

  private static func upper(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    let mapped = scalar.properties.uppercaseMapping.unicodeScalars
    return mapped.count == 1 ? mapped.first! : scalar
  }

  private static func lowerScalar(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    let mapped = scalar.properties.lowercaseMapping.unicodeScalars
    return mapped.count == 1 ? mapped.first! : scalar
  }
}
