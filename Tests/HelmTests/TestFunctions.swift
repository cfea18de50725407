import GoTemplate

/// A few Sprig functions, written here for the tests only, so that charts (ours included) can be
/// rendered before the Sprig module is wired into `HelmFunctions.base`. They follow Sprig's
/// semantics for the cases the test charts use.
enum TestFunctions {
  static let all: [String: TemplateFunction] = [
    "quote": TemplateFunction { arguments, context in
      .string(
        try arguments.filter { !isNil($0) }.map { goQuote(try text($0, context)) }.joined(
          separator: " "))
    },
    "default": TemplateFunction(arity: .atLeast(1)) { arguments, _ in
      guard arguments.count > 1, !isEmpty(arguments[1]) else { return arguments[0] }
      return arguments[1]
    },
    "indent": TemplateFunction(arity: .exactly(2)) { arguments, context in
      .string(indent(try count(arguments[0]), try text(arguments[1], context)))
    },
    "nindent": TemplateFunction(arity: .exactly(2)) { arguments, context in
      .string("\n" + indent(try count(arguments[0]), try text(arguments[1], context)))
    },
    "trunc": TemplateFunction(arity: .exactly(2)) { arguments, context in
      let length = try count(arguments[0])
      let string = Array(try text(arguments[1], context).utf8)
      if length < 0 && string.count + length > 0 {
        return .string(String(decoding: string[(string.count + length)...], as: UTF8.self))
      }
      if length >= 0 && string.count > length {
        return .string(String(decoding: string[..<length], as: UTF8.self))
      }
      return .string(String(decoding: string, as: UTF8.self))
    },
    "int": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      switch arguments[0] {
      case .int: return arguments[0]
      case .float(let double): return .int(Int(double))
      case .string(let string): return .int(Int(string) ?? 0)
      case .bool(let bool): return .int(bool ? 1 : 0)
      default: return .int(0)
      }
    },
    "list": TemplateFunction { arguments, _ in .list(arguments) },
    "dict": TemplateFunction { arguments, context in
      var map: [String: TemplateValue] = [:]
      var index = 0
      while index < arguments.count {
        let key = try text(arguments[index], context)
        map[key] = index + 1 < arguments.count ? arguments[index + 1] : .string("")
        index += 2
      }
      return .map(map)
    },
    "ternary": TemplateFunction(arity: .exactly(3)) { arguments, _ in
      guard case .bool(let condition) = arguments[2] else {
        throw TemplateFunctionError("wrong type for value; expected bool")
      }
      return condition ? arguments[0] : arguments[1]
    },
    // Sprig's merge (mergo without overwrite): keys the destination lacks, or holds an empty
    // value for, come from each source in turn; maps merge deeply.
    "merge": TemplateFunction(arity: .atLeast(1)) { arguments, _ in
      guard case .map(var destination) = arguments[0] else {
        throw TemplateFunctionError("merge: destination is not a map")
      }
      for source in arguments.dropFirst() {
        guard case .map(let map) = source else { continue }
        destination = merge(destination, map)
      }
      return .map(destination)
    },
    "trimSuffix": TemplateFunction(arity: .exactly(2)) { arguments, context in
      let suffix = try text(arguments[0], context)
      let string = try text(arguments[1], context)
      return .string(
        !suffix.isEmpty && string.hasSuffix(suffix) ? String(string.dropLast(suffix.count)) : string
      )
    },
  ]

  private static func merge(
    _ destination: [String: TemplateValue], _ source: [String: TemplateValue]
  )
    -> [String: TemplateValue]
  {
    var result = destination
    for (key, value) in source {
      if case .map(let existing)? = result[key], case .map(let incoming) = value {
        result[key] = .map(merge(existing, incoming))
      } else if result[key] == nil || !result[key]!.isTruthy {
        result[key] = value
      }
    }
    return result
  }

  private static func isNil(_ value: TemplateValue) -> Bool {
    switch value {
    case .null, .missing: return true
    default: return false
    }
  }

  private static func isEmpty(_ value: TemplateValue) -> Bool { !value.isTruthy }

  private static func count(_ value: TemplateValue) throws -> Int {
    switch value {
    case .int(let int): return int
    case .float(let double): return Int(double)
    default: throw TemplateFunctionError("expected an int, got \(value.goTypeName)")
    }
  }

  /// Sprig's `strval`: strings as they are, everything else as `fmt.Sprint` prints it (through
  /// the template engine, which has Go's formatting).
  private static func text(_ value: TemplateValue, _ context: FunctionContext) throws -> String {
    if case .string(let string) = value { return string }
    return try context.parseAndExecute(source: "{{ . }}", name: "strval", data: value)
  }

  private static func indent(_ spaces: Int, _ text: String) -> String {
    let pad = String(repeating: " ", count: max(spaces, 0))
    return pad
      + text.split(separator: "\n", omittingEmptySubsequences: false).joined(
        separator: "\n" + pad)
  }

  private static func goQuote(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\t": output += "\\t"
      case "\r": output += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          let hex = String(scalar.value, radix: 16)
          output += "\\x" + (hex.count == 1 ? "0" : "") + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    return output + "\""
  }
}
