import GoTemplate

/// Go reflection as Sprig uses it: `empty`, `reflect.DeepEqual`, `%T` and `Kind` names.
enum GoReflection {
  /// Sprig's `empty`: nil, false, zero numbers and empty strings, lists and maps. Structs (and
  /// the objects standing in for struct pointers) and functions are never empty.
  static func isEmpty(_ value: TemplateValue) -> Bool {
    !value.isTruthy
  }

  /// `reflect.Value.Kind().String()`, as `kindOf` prints it.
  static func kind(_ value: TemplateValue) -> String {
    switch value {
    case .missing, .null: return "invalid"
    case .bool: return "bool"
    case .int: return "int"
    case .uint: return "uint64"
    case .float: return "float64"
    case .string: return "string"
    case .list: return "slice"
    case .map: return "map"
    case .object(let object): return object.typeName.hasPrefix("*") ? "ptr" : "struct"
    case .function: return "func"
    }
  }

  /// `reflect.DeepEqual`: same Go type and equal contents; `1` (int) and `1.0` (float64) differ.
  static func deepEqual(_ left: TemplateValue, _ right: TemplateValue) -> Bool {
    switch (left, right) {
    case (.missing, .missing), (.null, .null), (.missing, .null), (.null, .missing): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.uint(let a), .uint(let b)): return a == b
    case (.float(let a), .float(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.list(let a), .list(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { deepEqual($0, $1) }
    case (.map(let first), .map(let second)):
      if first === second { return true }
      let a = first.entries
      let b = second.entries
      return a.count == b.count
        && a.allSatisfy { key, value in b[key].map { deepEqual(value, $0) } ?? false }
    case (.object(let a), .object(let b)):
      return a.typeName == b.typeName && a.printed == b.printed
    default: return false
    }
  }
}
