import GoTemplate

/// Sprig's defaults, flow control and reflection functions.
enum DefaultFunctions {
  static let functions: [String: TemplateFunction] = [
    // `default` takes the pipeline value last: `.Values.x | default "y"`.
    "default": variadic(1) { arguments in
      guard arguments.count > 1, !GoReflection.isEmpty(arguments[1]) else { return arguments[0] }
      return arguments[1]
    },
    "empty": function(1) { .bool(GoReflection.isEmpty($0[0])) },
    "coalesce": variadic(0) { arguments in
      arguments.first { !GoReflection.isEmpty($0) } ?? .null
    },
    "all": variadic(0) { .bool($0.allSatisfy { !GoReflection.isEmpty($0) }) },
    "any": variadic(0) { .bool($0.contains { !GoReflection.isEmpty($0) }) },
    "ternary": function(3) { arguments in
      try arguments.bool(2) ? arguments[0] : arguments[1]
    },
    "fail": function(1) { arguments in throw TemplateFunctionError(try arguments.string(0)) },
    "typeOf": function(1) { .string(typeName($0[0])) },
    "typeIs": function(2) { .bool(try $0.string(0) == typeName($0[1])) },
    "typeIsLike": function(2) { arguments in
      let target = try arguments.string(0)
      let type = typeName(arguments[1])
      return .bool(target == type || "*" + target == type)
    },
    "kindOf": function(1) { .string(GoReflection.kind($0[0])) },
    "kindIs": function(2) { .bool(try $0.string(0) == GoReflection.kind($0[1])) },
    "deepEqual": function(2) { .bool(GoReflection.deepEqual($0[0], $0[1])) },
    // Template values are copied on assignment, so a deep copy is the value itself.
    "deepCopy": function(1) { try copy($0[0]) },
    "mustDeepCopy": function(1) { try copy($0[0]) },
  ]

  /// copystructure's deep copy: new maps all the way down, so changing the copy leaves the
  /// original alone. It fails on a nil interface, as reflect does.
  private static func copy(_ value: TemplateValue) throws -> TemplateValue {
    if value.isNilValue {
      throw TemplateFunctionError("reflect: call of reflect.Value.Type on zero Value")
    }
    return deepCopy(value)
  }

  /// Copies every map reachable from `value`; lists are values already but may hold maps.
  static func deepCopy(_ value: TemplateValue) -> TemplateValue {
    switch value {
    case .map(let map): return .map(TemplateMap(map.entries.mapValues(deepCopy)))
    case .list(let list): return .list(list.map(deepCopy))
    default: return value
    }
  }

  /// `fmt.Sprintf("%T", value)`.
  static func typeName(_ value: TemplateValue) -> String {
    value.goTypeName
  }
}
