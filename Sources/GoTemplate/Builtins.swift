/// An error a template function reports; execution stops with `error calling NAME: message`.
public struct TemplateFunctionError: Error, CustomStringConvertible {
  /// What went wrong, worded for the template author.
  public let message: String
  /// Creates an error with the given message.
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// The functions every template has (Go's `builtinFuncs`). They receive raw values: a missing
/// value stays `.missing`, as Go's built-ins receive an invalid `reflect.Value`.
enum Builtin: String {
  case and, or, not, len, index, slice, print, printf, println, html, js, urlquery, call
  case eq, ne, lt, le, gt, ge

  var arity: TemplateFunction.Arity {
    switch self {
    case .and, .or, .index, .slice, .call, .printf, .eq: return .atLeast(1)
    case .not, .len: return .exactly(1)
    case .ne, .lt, .le, .gt, .ge: return .exactly(2)
    case .print, .println, .html, .js, .urlquery: return .atLeast(0)
    }
  }

  func call(_ arguments: [TemplateValue], context: FunctionContext) throws -> TemplateValue {
    switch self {
    case .and, .or:
      // Handled lazily by the executor; reached only through a function value.
      var value = TemplateValue.missing
      for argument in arguments {
        value = argument
        if argument.isTruthy == (self == .or) { return argument }
      }
      return value
    case .not:
      return .bool(!arguments[0].isTruthy)
    case .len:
      return .int(try length(arguments[0]))
    case .index:
      return try index(arguments[0], Array(arguments.dropFirst()))
    case .slice:
      return try slice(arguments[0], Array(arguments.dropFirst()))
    case .print:
      return .string(GoFormatter.sprint(arguments.map(\.asArgument)))
    case .printf:
      guard case .string(let format) = arguments[0] else {
        throw TemplateFunctionError("wrong type for value; expected string")
      }
      return .string(GoFormatter.sprintf(format, arguments.dropFirst().map(\.asArgument)))
    case .println:
      return .string(GoFormatter.sprintln(arguments.map(\.asArgument)))
    case .html:
      return .string(TextEscaping.html(escapedArguments(arguments)))
    case .js:
      return .string(TextEscaping.javaScript(escapedArguments(arguments)))
    case .urlquery:
      return .string(TextEscaping.queryComponent(escapedArguments(arguments)))
    case .call:
      return try callFunction(arguments, context: context)
    case .eq:
      return .bool(try Comparison.equal(arguments[0], Array(arguments.dropFirst())))
    case .ne:
      return .bool(try !Comparison.equal(arguments[0], [arguments[1]]))
    case .lt:
      return .bool(try Comparison.less(arguments[0], arguments[1]))
    case .le:
      return .bool(try Comparison.lessOrEqual(arguments[0], arguments[1]))
    case .gt:
      return .bool(try !Comparison.lessOrEqual(arguments[0], arguments[1]))
    case .ge:
      return .bool(try !Comparison.less(arguments[0], arguments[1]))
    }
  }

  /// Go's `evalArgs`: one string argument as is, otherwise `fmt.Sprint` in which a nil prints as
  /// `<no value>`.
  private func escapedArguments(_ arguments: [TemplateValue]) -> String {
    if arguments.count == 1, case .string(let string) = arguments[0] { return string }
    return GoFormatter.sprint(
      arguments.map { $0.isNil ? TemplateValue.string("<no value>") : $0 })
  }

  private func length(_ item: TemplateValue) throws -> Int {
    switch item {
    case .missing: throw TemplateFunctionError("reflect: call of reflect.Value.Type on zero Value")
    case .null: throw TemplateFunctionError("len of nil pointer")
    case .string(let string): return string.utf8.count
    case .list(let list): return list.count
    case .map(let map): return map.count
    default: throw TemplateFunctionError("len of type \(item.goTypeName)")
    }
  }

  private func indexArgument(_ index: TemplateValue, bound: Int) throws -> Int {
    let position: Int
    switch index {
    case .int(let int): position = int
    case .uint(let uint): position = uint > UInt(Int.max) ? -1 : Int(uint)
    case .missing, .null: throw TemplateFunctionError("cannot index slice/array with nil")
    default:
      throw TemplateFunctionError("cannot index slice/array with type \(index.goTypeName)")
    }
    if position < 0 || position > bound {
      throw TemplateFunctionError("index out of range: \(position)")
    }
    return position
  }

  private func index(_ item: TemplateValue, _ indexes: [TemplateValue]) throws -> TemplateValue {
    if item.isNil { throw TemplateFunctionError("index of untyped nil") }
    var item = item
    for index in indexes {
      switch item {
      case .missing, .null:
        throw TemplateFunctionError("index of nil pointer")
      case .list(let list):
        let position = try indexArgument(index, bound: list.count)
        guard position < list.count else {
          throw TemplateFunctionError("reflect: slice index out of range")
        }
        item = list[position]
      case .string(let string):
        let bytes = string.utf8
        let position = try indexArgument(index, bound: bytes.count)
        guard position < bytes.count else {
          throw TemplateFunctionError("reflect: string index out of range")
        }
        item = .int(Int(bytes[bytes.index(bytes.startIndex, offsetBy: position)]))
      case .map(let map):
        let key: String
        switch index {
        case .string(let string): key = string
        case .missing, .null: key = ""
        default:
          throw TemplateFunctionError("value has type \(index.goTypeName); should be string")
        }
        item = map[key] ?? .null
      default:
        throw TemplateFunctionError("can't index item of type \(item.goTypeName)")
      }
    }
    return item
  }

  private func slice(_ item: TemplateValue, _ indexes: [TemplateValue]) throws -> TemplateValue {
    if item.isNil { throw TemplateFunctionError("slice of untyped nil") }
    if indexes.count > 3 {
      throw TemplateFunctionError("too many slice indexes: \(indexes.count)")
    }
    let count: Int
    switch item {
    case .string(let string):
      if indexes.count == 3 { throw TemplateFunctionError("cannot 3-index slice a string") }
      count = string.utf8.count
    case .list(let list):
      count = list.count
    default:
      throw TemplateFunctionError("can't slice item of type \(item.goTypeName)")
    }
    var bounds = [0, count, count]
    for (position, index) in indexes.enumerated() {
      bounds[position] = try indexArgument(index, bound: count)
    }
    if bounds[0] > bounds[1] {
      throw TemplateFunctionError("invalid slice index: \(bounds[0]) > \(bounds[1])")
    }
    if indexes.count == 3 && bounds[1] > bounds[2] {
      throw TemplateFunctionError("invalid slice index: \(bounds[1]) > \(bounds[2])")
    }
    switch item {
    case .string(let string):
      let bytes = Array(string.utf8)[bounds[0]..<bounds[1]]
      return .string(String(decoding: bytes, as: UTF8.self))
    case .list(let list):
      return .list(Array(list[bounds[0]..<bounds[1]]))
    default:
      return item
    }
  }

  private func callFunction(_ arguments: [TemplateValue], context: FunctionContext) throws
    -> TemplateValue
  {
    // The executor passes the first argument's text as a leading string (Go names it).
    guard case .string(let name) = arguments[0] else { return .missing }
    let target = arguments[1]
    guard case .function(let function) = target else {
      if target.isNil { throw TemplateFunctionError("call of nil") }
      throw TemplateFunctionError("non-function \(name) of type \(target.goTypeName)")
    }
    let rest = arguments.dropFirst(2).map(\.asArgument)
    switch function.arity {
    case .exactly(let count) where rest.count != count:
      throw TemplateFunctionError(
        "wrong number of args for \(name): got \(rest.count) want \(count)")
    case .atLeast(let count) where rest.count < count:
      throw TemplateFunctionError(
        "wrong number of args for \(name): got \(rest.count) want at least \(count)")
    default:
      break
    }
    return try function.body(rest, context)
  }
}
