import GoTemplate

/// Sprig's list functions. The plain variants panic where the `must` variants return an error;
/// Go's template engine reports both as `error calling NAME: ...`, so both throw here.
enum ListFunctions {
  static let functions: [String: TemplateFunction] = {
    var table: [String: TemplateFunction] = [
      "list": variadic(0) { .list($0.map { $0.isNilValue ? .null : $0 }) },
      "tuple": variadic(0) { .list($0) },
      "has": function(2) { arguments in
        if arguments[1].isNilValue { return false }
        let list = try list(arguments[1], "Cannot find has on type")
        return .bool(list.contains { GoReflection.deepEqual($0, arguments[0]) })
      },
      "mustHas": function(2) { arguments in
        if arguments[1].isNilValue { return false }
        let list = try list(arguments[1], "Cannot find has on type")
        return .bool(list.contains { GoReflection.deepEqual($0, arguments[0]) })
      },
      "concat": variadic(0) { arguments in
        var result: [TemplateValue] = []
        for argument in arguments {
          if argument.isNilValue { _ = try list(argument, "") }
          guard case .list(let list) = argument else {
            throw TemplateFunctionError(
              "Cannot concat type \(GoReflection.kind(argument)) as list"
            )
          }
          result += list
        }
        return .list(result)
      },
      "until": function(1) { arguments in
        let count = try arguments.int(0)
        return ints(untilStep(start: 0, stop: count, step: count < 0 ? -1 : 1))
      },
      "untilStep": function(3) { arguments in
        ints(
          untilStep(
            start: try arguments.int(0), stop: try arguments.int(1), step: try arguments.int(2)))
      },
      "seq": variadic(0) { arguments in
        let numbers = try (0..<arguments.count).map { try arguments.int($0) }
        return .string(seq(numbers).map(String.init).joined(separator: " "))
      },
    ]
    for prefix in ["", "must"] {
      func name(_ base: String) -> String {
        prefix.isEmpty ? base : prefix + base.prefix(1).uppercased() + base.dropFirst()
      }
      let push = function(2) { arguments in
        .list(try list(arguments[0], "Cannot push on type") + [arguments[1]])
      }
      table[name("push")] = push
      table[name("append")] = push
      table[name("prepend")] = function(2) { arguments in
        .list([arguments[1]] + (try list(arguments[0], "Cannot prepend on type")))
      }
      table[name("first")] = function(1) { arguments in
        try list(arguments[0], "Cannot find first on type").first ?? .null
      }
      table[name("last")] = function(1) { arguments in
        try list(arguments[0], "Cannot find last on type").last ?? .null
      }
      table[name("rest")] = function(1) { arguments in
        let list = try list(arguments[0], "Cannot find rest on type")
        return .list(Array(list.dropFirst()))
      }
      table[name("initial")] = function(1) { arguments in
        let list = try list(arguments[0], "Cannot find initial on type")
        return .list(Array(list.dropLast()))
      }
      table[name("reverse")] = function(1) { arguments in
        .list(try list(arguments[0], "Cannot find reverse on type").reversed())
      }
      table[name("uniq")] = function(1) { arguments in
        var unique: [TemplateValue] = []
        for item in try list(arguments[0], "Cannot find uniq on type")
        where !unique.contains(where: { GoReflection.deepEqual($0, item) }) {
          unique.append(item)
        }
        return .list(unique)
      }
      table[name("without")] = variadic(1) { arguments in
        let excluded = arguments.dropFirst()
        return .list(
          try list(arguments[0], "Cannot find without on type").filter { item in
            !excluded.contains { GoReflection.deepEqual($0, item) }
          })
      }
      table[name("compact")] = function(1) { arguments in
        .list(try list(arguments[0], "Cannot compact on type").filter { !GoReflection.isEmpty($0) })
      }
      table[name("slice")] = variadic(1) { arguments in try slice(arguments) }
      table[name("chunk")] = function(2) { arguments in
        let size = try arguments.int(0)
        let list = try list(arguments[1], "Cannot chunk type")
        // Go computes the chunk count in floats; a size of 0 or less asks for a negative one.
        guard size > 0 else {
          throw TemplateFunctionError("runtime error: makeslice: len out of range")
        }
        return .list(
          stride(from: 0, to: list.count, by: size).map {
            .list(Array(list[$0..<min($0 + size, list.count)]))
          })
      }
    }
    return table
  }()

  /// The argument as a list, or Sprig's "Cannot ... on type KIND" error. A nil argument panics
  /// in Go (`reflect.TypeOf(nil).Kind()`), reported with Go's nil-dereference message.
  static func list(_ value: TemplateValue, _ message: String) throws -> [TemplateValue] {
    switch value {
    case .list(let list): return list
    case .missing, .null:
      throw TemplateFunctionError(
        "runtime error: invalid memory address or nil pointer dereference")
    default:
      throw TemplateFunctionError("\(message) \(GoReflection.kind(value))")
    }
  }

  private static func ints(_ values: [Int]) -> TemplateValue { .list(values.map { .int($0) }) }

  /// Sprig's `untilStep`: counts from start toward stop (exclusive) by step; a step pointing
  /// away from stop gives an empty list.
  static func untilStep(start: Int, stop: Int, step: Int) -> [Int] {
    var values: [Int] = []
    if stop < start {
      guard step < 0 else { return values }
      var value = start
      // Go's int wraps on overflow; stop at the wrap instead of trapping.
      while value > stop {
        values.append(value)
        let (next, overflow) = value.addingReportingOverflow(step)
        if overflow { break }
        value = next
      }
      return values
    }
    guard step > 0 else { return values }
    var value = start
    while value < stop {
      values.append(value)
      let (next, overflow) = value.addingReportingOverflow(step)
      if overflow { break }
      value = next
    }
    return values
  }

  /// Sprig's `seq`, like the Unix command: `seq 3`, `seq 2 5`, `seq 0 2 10`.
  static func seq(_ numbers: [Int]) -> [Int] {
    switch numbers.count {
    case 1:
      let end = numbers[0]
      let increment = end < 1 ? -1 : 1
      return untilStep(start: 1, stop: end &+ increment, step: increment)
    case 2:
      let step = numbers[1] < numbers[0] ? -1 : 1
      return untilStep(start: numbers[0], stop: numbers[1] &+ step, step: step)
    case 3:
      let (start, step, end) = (numbers[0], numbers[1], numbers[2])
      var increment = 1
      if end < start {
        increment = -1
        if step > 0 { return [] }
      }
      return untilStep(start: start, stop: end &+ increment, step: step)
    default:
      return []
    }
  }

  /// Sprig's `slice list [start [end]]`, with indexes converted by `cast.ToInt`.
  private static func slice(_ arguments: [TemplateValue]) throws -> TemplateValue {
    if arguments[0].isNilValue { _ = try list(arguments[0], "") }
    guard case .list(let list) = arguments[0] else {
      let kind = GoReflection.kind(arguments[0])
      throw TemplateFunctionError("list should be type of slice or array but \(kind)")
    }
    let indexes = arguments.dropFirst().map(Cast.toInt64)
    let start = indexes.count > 0 ? indexes[0] : 0
    let end = indexes.count > 1 ? indexes[1] : list.count
    guard start >= 0, end <= list.count, start <= end else {
      throw TemplateFunctionError("reflect.Value.Slice: slice index out of bounds")
    }
    return .list(Array(list[start..<end]))
  }
}
