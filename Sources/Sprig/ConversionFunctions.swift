import GoTemplate

/// Sprig's type conversions: `int`, `int64`, `float64` through `cast` (unconvertible values are
/// 0), `atoi` through `strconv.Atoi` (errors are 0), and `toDecimal`, which reads a value's text
/// as octal (`toDecimal "0777"` is 511).
enum ConversionFunctions {
  static let functions: [String: TemplateFunction] = [
    "int": function(1) { .int(Cast.toInt64($0[0])) },
    "int64": function(1) { .int(Cast.toInt64($0[0])) },
    "float64": function(1) { .float(Cast.toFloat64($0[0])) },
    "atoi": function(1) { arguments in
      switch GoNumberParsing.parseInt(try arguments.string(0), base: 10) {
      case .value(let value): return .int(value)
      case .rangeError(let clamped): return .int(clamped)
      case .syntaxError: return .int(0)
      }
    },
    "toDecimal": function(1) { arguments in
      let text = GoPrinting.format(arguments[0])
      if case .value(let value) = GoNumberParsing.parseInt(text, base: 8) { return .int(value) }
      return .int(0)
    },
  ]
}
