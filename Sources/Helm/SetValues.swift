import GoTemplate
import YAML

/// Helm's `--set` syntax (strvals): `a.b=c,d[0]=e,f={x,y}`, `\,` and `\.` escaping, `null`
/// deleting a key later when coalescing. `--set` infers int64, bool and null; `--set-string`
/// keeps strings; `--set-file` reads each value from a file.
public enum SetValues {
  /// How a value's text becomes a value.
  public enum Typing: Sendable {
    /// `--set`: `true`/`false` are bools, `null` is null, decimal integers are ints.
    case inferred
    /// `--set-string`: always a string.
    case string
  }

  /// Applies one `--set` expression to `values`.
  public static func apply(
    _ expression: String, to values: inout ValueTable, typing: Typing = .inferred
  ) throws(HelmError) {
    try apply(expression, to: &values) { text, _ throws(HelmError) in typed(text, typing) }
  }

  /// Applies a `--set-file` expression: each value is a path whose contents become the string.
  public static func applyFile(
    _ expression: String, to values: inout ValueTable,
    read: (String) throws(HelmError) -> String
  ) throws(HelmError) {
    try apply(expression, to: &values) { text, _ throws(HelmError) in .string(try read(text)) }
  }

  /// Helm's typedVal: `true`/`false` in any case, `null`, `0`, and decimal integers without a
  /// leading zero become typed values; everything else stays a string.
  private static func typed(_ text: String, _ typing: Typing) -> JSONValue {
    guard typing == .inferred else { return .string(text) }
    switch text.lowercased() {
    case "true": return .bool(true)
    case "false": return .bool(false)
    default: break
    }
    if text.lowercased() == "null" { return .null }
    if text == "0" { return .int(0) }
    if let first = text.first, first != "0", let int = Int(text) { return .int(int) }
    return .string(text)
  }

  private static func apply(
    _ expression: String, to values: inout ValueTable,
    convert: (String, Bool) throws(HelmError) -> JSONValue
  ) throws(HelmError) {
    var scanner = Scanner(Array(expression), expression: expression)
    while !scanner.atEnd {
      let start = scanner.position
      let key = try scanner.key()
      guard scanner.consume("=") else {
        let text = String(scanner.characters[start..<scanner.position])
        throw .invalidSet(expression: expression, message: "key \(goQuote(text)) has no value")
      }
      let value: JSONValue
      if scanner.peek == "{" {
        scanner.advance()
        var items: [JSONValue] = []
        while !scanner.consume("}") {
          guard !scanner.atEnd else {
            throw .invalidSet(
              expression: expression, message: "list value is missing its closing }")
          }
          items.append(try convert(scanner.text(stoppingAt: [",", "}"]), true))
          _ = scanner.consume(",")
        }
        value = .array(items)
        _ = scanner.consume(",")
      } else {
        value = try convert(scanner.text(stoppingAt: [","]), false)
        _ = scanner.consume(",")
      }
      if key.isEmpty { continue }  // `=1`: Helm ignores an empty key
      try set(value, at: key[...], in: &values, expression: expression)
    }
  }

  /// A key path: names and `[index]` steps.
  enum Step: Equatable {
    case name(String)
    case index(Int)
  }

  private static func set(
    _ value: JSONValue, at path: ArraySlice<Step>, in table: inout ValueTable, expression: String
  ) throws(HelmError) {
    guard case .name(let name)? = path.first else { return }
    let rest = path.dropFirst()
    if rest.isEmpty {
      table[name] = value
      return
    }
    var child = table[name] ?? .null
    try assign(value, at: rest, in: &child, expression: expression)
    table[name] = child
  }

  private static func assign(
    _ value: JSONValue, at path: ArraySlice<Step>, in node: inout JSONValue, expression: String
  ) throws(HelmError) {
    guard let step = path.first else {
      node = value
      return
    }
    switch step {
    case .name:
      var table: ValueTable
      switch node {
      case .object(let existing): table = existing
      case .null: table = [:]
      default:
        // Helm fails the same way: a.b=2 after a=1 cannot descend into a scalar.
        throw .invalidSet(
          expression: expression,
          message: "unable to parse key: interface conversion: interface {} is "
            + "\(goTypeName(node)), not map[string]interface {}")
      }
      try set(value, at: path, in: &table, expression: expression)
      node = .object(table)
    case .index(let index):
      var list = node.arrayValue ?? []
      while list.count <= index { list.append(.null) }
      if path.count == 1 {
        list[index] = value
      } else {
        try assign(value, at: path.dropFirst(), in: &list[index], expression: expression)
      }
      node = .array(list)
    }
  }

  private static func goTypeName(_ value: JSONValue) -> String {
    switch value {
    case .null: return "<nil>"
    case .bool: return "bool"
    case .int: return "int64"
    case .double: return "float64"
    case .string: return "string"
    case .array: return "[]interface {}"
    case .object: return "map[string]interface {}"
    }
  }

  private struct Scanner {
    var characters: [Character]
    var position = 0
    let expression: String

    init(_ characters: [Character], expression: String) {
      self.characters = characters
      self.expression = expression
    }

    var atEnd: Bool { position >= characters.count }
    var peek: Character? { atEnd ? nil : characters[position] }
    mutating func advance() { position += 1 }
    mutating func consume(_ c: Character) -> Bool {
      guard peek == c else { return false }
      position += 1
      return true
    }

    /// `a.b\.c[0].d` up to `=`.
    mutating func key() throws(HelmError) -> [Step] {
      var steps: [Step] = []
      var name = ""
      while let c = peek, c != "=" {
        advance()
        switch c {
        case "\\":
          if let next = peek {
            name.append(next)
            advance()
          }
        case ".":
          if !name.isEmpty { steps.append(.name(name)) }
          name = ""
        case "[":
          if !name.isEmpty { steps.append(.name(name)) }
          name = ""
          var digits = ""
          while let d = peek, d != "]" {
            digits.append(d)
            advance()
          }
          guard consume("]"), let index = Int(digits), index >= 0 else {
            throw .invalidSet(
              expression: expression,
              message:
                "error parsing index: strconv.Atoi: parsing \(goQuote(digits)): invalid syntax")
          }
          steps.append(.index(index))
        case ",":
          throw .invalidSet(expression: expression, message: "key \(goQuote(name)) has no value")
        default:
          name.append(c)
        }
      }
      if !name.isEmpty { steps.append(.name(name)) }
      if steps.isEmpty { return [] }
      guard case .name? = steps.first else {
        throw .invalidSet(expression: expression, message: "a key must start with a name")
      }
      return steps
    }

    /// Text up to an unescaped stop character; `\x` stands for `x`.
    mutating func text(stoppingAt stops: Set<Character>) -> String {
      var text = ""
      while let c = peek, !stops.contains(c) {
        advance()
        if c == "\\", let next = peek {
          text.append(next)
          advance()
        } else {
          text.append(c)
        }
      }
      return text
    }
  }
}
