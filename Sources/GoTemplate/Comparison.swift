/// Go's template comparison functions (`eq`, `lt`, `le` and the others built from them), with
/// their rules: basic kinds only for ordering, ints and uints comparable across signedness, and
/// Go's error messages for everything else.
enum Comparison {
  private enum Kind: Equatable {
    case invalid, bool, int, uint, float, string, other
  }

  private static func kind(_ value: TemplateValue) -> Kind {
    switch value {
    case .missing, .null: return .invalid
    case .bool: return .bool
    case .int: return .int
    case .uint: return .uint
    case .float: return .float
    case .string: return .string
    case .list, .map, .object, .function: return .other
    }
  }

  static let badComparisonType = TemplateFunctionError("invalid type for comparison")

  private static func incompatible(_ left: TemplateValue, _ right: TemplateValue)
    -> TemplateFunctionError
  {
    TemplateFunctionError(
      "incompatible types for comparison: \(left.goTypeName) and \(right.goTypeName)")
  }

  /// `eq arg1 arg2...`: true if `arg1` equals any of the others.
  static func equal(_ first: TemplateValue, _ others: [TemplateValue]) throws -> Bool {
    if others.isEmpty { throw TemplateFunctionError("missing argument for comparison") }
    let firstKind = kind(first)
    for other in others {
      let otherKind = kind(other)
      var truth = false
      if firstKind != otherKind {
        switch (first, other) {
        case (.int(let int), .uint(let uint)), (.uint(let uint), .int(let int)):
          truth = int >= 0 && UInt(int) == uint
        default:
          // Go compares a nil against anything as unequal, and refuses other mixes.
          if firstKind != .invalid && otherKind != .invalid {
            if firstKind == .other || otherKind == .other {
              throw nonComparableTypes(first, other)
            }
            throw incompatible(first, other)
          }
        }
      } else {
        switch (first, other) {
        case (.bool(let left), .bool(let right)): truth = left == right
        case (.int(let left), .int(let right)): truth = left == right
        case (.uint(let left), .uint(let right)): truth = left == right
        case (.float(let left), .float(let right)): truth = left == right
        case (.string(let left), .string(let right)): truth = left == right
        case _ where firstKind == .invalid:
          truth = true
        default:
          if first.goTypeName != other.goTypeName { throw nonComparableTypes(first, other) }
          throw TemplateFunctionError(
            "non-comparable type \(GoFormatter.sprintf("%s", [other])): \(other.goTypeName)")
        }
      }
      if truth { return true }
    }
    return false
  }

  private static func nonComparableTypes(_ first: TemplateValue, _ other: TemplateValue)
    -> TemplateFunctionError
  {
    TemplateFunctionError(
      "non-comparable types \(GoFormatter.sprintf("%s", [first])): \(first.goTypeName), "
        + "\(other.goTypeName): \(GoFormatter.sprint(other))")
  }

  /// `lt arg1 arg2`.
  static func less(_ first: TemplateValue, _ second: TemplateValue) throws -> Bool {
    let firstKind = kind(first)
    let secondKind = kind(second)
    if firstKind == .invalid || firstKind == .other { throw badComparisonType }
    if secondKind == .invalid || secondKind == .other { throw badComparisonType }
    if firstKind != secondKind {
      switch (first, second) {
      case (.int(let int), .uint(let uint)):
        return int < 0 || UInt(int) < uint
      case (.uint(let uint), .int(let int)):
        return int >= 0 && uint < UInt(int)
      default:
        throw incompatible(first, second)
      }
    }
    switch (first, second) {
    case (.int(let left), .int(let right)): return left < right
    case (.uint(let left), .uint(let right)): return left < right
    case (.float(let left), .float(let right)): return left < right
    case (.string(let left), .string(let right)):
      return left.utf8.lexicographicallyPrecedes(right.utf8)
    default:
      throw badComparisonType
    }
  }

  /// `le arg1 arg2`: `lt` or `eq`.
  static func lessOrEqual(_ first: TemplateValue, _ second: TemplateValue) throws -> Bool {
    if try less(first, second) { return true }
    return try equal(first, [second])
  }
}
