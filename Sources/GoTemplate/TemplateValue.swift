/// A value as a Go template sees it: the Swift stand-in for the Go values that `text/template`
/// walks with reflection.
///
/// Lists are Go's `[]interface{}` and maps are `map[string]interface{}` (iterated in sorted key
/// order), which is what Helm hands to its templates. As in Go, a list is a value (`append`
/// makes a new one) and a map is a reference (`TemplateMap`): `set $d "k" "v"` changes `$d`. Numbers keep Go's kinds apart because the
/// output differs: `int` prints `8080`, `float64` prints `8080` too but `1e+06` for a million.
public enum TemplateValue: Sendable {
  /// Go's invalid `reflect.Value`: the result of a missing map key or of a nil interface that a
  /// pipeline produced. Prints as `<no value>`; passed to a function it arrives as `.null`.
  case missing
  /// A nil interface value (`nil`, a YAML `null`).
  case null
  /// A Go `bool`.
  case bool(Bool)
  /// A Go `int` (64-bit).
  case int(Int)
  /// A Go `uint64`; rare, kept so comparisons across signedness behave as Go's do.
  case uint(UInt)
  /// A Go `float64`.
  case float(Double)
  /// A Go `string`.
  case string(String)
  /// A Go `[]interface{}`.
  case list([TemplateValue])
  /// A Go `map[string]interface{}`, shared by reference as Go maps are.
  case map(TemplateMap)
  /// A struct-like value with fields and methods.
  case object(any TemplateObject)
  /// A function value, callable with the `call` built-in.
  case function(TemplateFunction)
}

/// A value with named fields and methods, like a Go struct reached through a pointer.
///
/// Methods are looked up before fields, as Go does. A method receives its evaluated arguments.
public protocol TemplateObject: Sendable {
  /// The Go type name used in error messages, e.g. `*chart.Metadata`.
  var typeName: String { get }
  /// The value of the field, or nil when the type has no such field.
  func field(named name: String) -> TemplateValue?
  /// The method, or nil when the type has no such method.
  func method(named name: String) -> TemplateFunction?
  /// The text `fmt.Sprint` would produce for this value (Go prints structs as `{a b}`).
  var printed: String { get }
}

extension TemplateObject {
  /// Objects without methods need not implement this.
  public func method(named name: String) -> TemplateFunction? { nil }
}

extension TemplateValue {
  /// Go's truth: false, 0, nil and empty strings, lists and maps are false; everything else true.
  public var isTruthy: Bool {
    switch self {
    case .missing, .null: return false
    case .bool(let value): return value
    case .int(let value): return value != 0
    case .uint(let value): return value != 0
    case .float(let value): return value != 0
    case .string(let value): return !value.isEmpty
    case .list(let value): return !value.isEmpty
    case .map(let value): return !value.isEmpty
    case .object, .function: return true
    }
  }

  /// The Go type name of the dynamic value, as `%T` and error messages print it.
  public var goTypeName: String {
    switch self {
    case .missing, .null: return "<nil>"
    case .bool: return "bool"
    case .int: return "int"
    case .uint: return "uint64"
    case .float: return "float64"
    case .string: return "string"
    case .list: return "[]interface {}"
    case .map: return "map[string]interface {}"
    case .object(let object): return object.typeName
    case .function: return "func"
    }
  }

  /// `.missing` becomes `.null`: what a Go function parameter of type `interface{}` receives.
  var asArgument: TemplateValue {
    if case .missing = self { return .null }
    return self
  }

  /// True for `.missing` and `.null`.
  var isNil: Bool {
    switch self {
    case .missing, .null: return true
    default: return false
    }
  }
}

/// Literals build values directly: `["name": "web", "replicas": 3, "tags": ["a", "b"]]`.
/// Integer literals are Go ints and float literals float64s; `nil` is a nil interface.
extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .float(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
  public init(dictionaryLiteral elements: (String, TemplateValue)...) {
    self = .map(TemplateMap(Dictionary(elements, uniquingKeysWith: { _, last in last })))
  }
  public init(nilLiteral: ()) { self = .null }
}
