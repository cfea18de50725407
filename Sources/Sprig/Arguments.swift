import GoTemplate

/// Go's template engine checks each argument against the Go parameter type before calling a
/// function; these accessors repeat that check for Sprig's typed parameters (`string`, `int`,
/// `bool`, `map[string]interface{}`), with Go's wording.
///
/// Go reports a nil argument as `wrong type for value; expected string; got interface {}` when
/// it comes from a field and `invalid value; expected string` when piped; the arguments here
/// cannot tell the two apart and always use the first wording.
extension [TemplateValue] {
  /// The argument at `position` as a Go `string` parameter.
  func string(_ position: Int) throws -> String {
    guard case .string(let value) = self[position] else {
      throw wrongType(self[position], expected: "string")
    }
    return value
  }

  /// The argument at `position` as a Go `int` parameter: only Go ints pass.
  func int(_ position: Int) throws -> Int {
    guard case .int(let value) = self[position] else {
      throw wrongType(self[position], expected: "int")
    }
    return value
  }

  /// The argument at `position` as a Go `bool` parameter.
  func bool(_ position: Int) throws -> Bool {
    guard case .bool(let value) = self[position] else {
      throw wrongType(self[position], expected: "bool")
    }
    return value
  }

  /// The argument at `position` as a Go `map[string]interface{}` parameter (the caller's map
  /// itself, so changes show through every reference); nil is a nil map, read as a new empty
  /// map that no one else holds.
  func map(_ position: Int) throws -> TemplateMap {
    switch self[position] {
    case .map(let value): return value
    case .null, .missing: return TemplateMap()
    default: throw wrongType(self[position], expected: "map[string]interface {}")
    }
  }

  /// The arguments from `position` on as the variadic `...string` tail.
  func strings(from position: Int) throws -> [String] {
    try (position..<count).map { try string($0) }
  }
}

/// Go's `wrong type for value` error for an argument that does not fit the parameter type.
func wrongType(_ value: TemplateValue, expected: String) -> TemplateFunctionError {
  let got = value.isNilValue ? "interface {}" : value.goTypeName
  return TemplateFunctionError("wrong type for value; expected \(expected); got \(got)")
}

extension TemplateValue {
  /// True for Go's nil interface (and the missing value that arrives as one).
  var isNilValue: Bool {
    switch self {
    case .missing, .null: return true
    default: return false
    }
  }
}

/// Builds a function of exactly `count` arguments.
func function(
  _ count: Int, _ body: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue
) -> TemplateFunction {
  TemplateFunction(arity: .exactly(count)) { arguments, _ in try body(arguments) }
}

/// Builds a variadic function of at least `count` arguments.
func variadic(
  _ count: Int, _ body: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue
) -> TemplateFunction {
  TemplateFunction(arity: .atLeast(count)) { arguments, _ in try body(arguments) }
}

/// Builds a function of one `string` argument returning a string.
func stringFunction(_ body: @escaping @Sendable (String) -> String) -> TemplateFunction {
  function(1) { .string(body(try $0.string(0))) }
}
