import Foundation
import GoTemplate

/// Sprig's integer math (int64 through `cast.ToInt64`, so `add 1 "2" 3.9` is 6) and float math
/// (float64 through `cast.ToFloat64`, computed in decimal as Sprig's `shopspring/decimal` does,
/// so `addf 0.1 0.2` is 0.3).
enum MathFunctions {
  static let functions: [String: TemplateFunction] = [
    "add1": function(1) { .int(Cast.toInt64($0[0]) &+ 1) },
    "add": variadic(0) { .int($0.reduce(0) { $0 &+ Cast.toInt64($1) }) },
    "sub": function(2) { .int(Cast.toInt64($0[0]) &- Cast.toInt64($0[1])) },
    "mul": variadic(1) { arguments in
      .int(arguments.dropFirst().reduce(Cast.toInt64(arguments[0])) { $0 &* Cast.toInt64($1) })
    },
    "div": function(2) { arguments in
      let divisor = Cast.toInt64(arguments[1])
      guard divisor != 0 else { throw divideByZero }
      return .int(Cast.toInt64(arguments[0]).dividedReportingOverflow(by: divisor).partialValue)
    },
    "mod": function(2) { arguments in
      let divisor = Cast.toInt64(arguments[1])
      guard divisor != 0 else { throw divideByZero }
      return .int(
        Cast.toInt64(arguments[0]).remainderReportingOverflow(dividingBy: divisor).partialValue)
    },
    "max": variadic(1) { .int($0.map(Cast.toInt64).max()!) },
    "biggest": variadic(1) { .int($0.map(Cast.toInt64).max()!) },
    "min": variadic(1) { .int($0.map(Cast.toInt64).min()!) },
    "maxf": variadic(1) { arguments in
      .float(
        arguments.dropFirst().reduce(Cast.toFloat64(arguments[0])) { goMax($0, Cast.toFloat64($1)) }
      )
    },
    "minf": variadic(1) { arguments in
      .float(
        arguments.dropFirst().reduce(Cast.toFloat64(arguments[0])) { goMin($0, Cast.toFloat64($1)) }
      )
    },
    "add1f": function(1) { .float(try decimalFold([$0[0], 1], +)) },
    "addf": variadic(0) { .float(try decimalFold([0] + $0, +)) },
    "subf": variadic(1) { .float(try decimalFold($0, -)) },
    "mulf": variadic(1) { .float(try decimalFold($0, *)) },
    "divf": variadic(1) { arguments in
      .float(
        try decimalFold(arguments) { dividend, divisor in
          guard !divisor.isZero else { throw TemplateFunctionError("decimal division by 0") }
          var quotient = dividend / divisor
          var rounded = Decimal()
          NSDecimalRound(&rounded, &quotient, 16, .plain)
          return rounded
        })
    },
    "ceil": function(1) { .float(Foundation.ceil(Cast.toFloat64($0[0]))) },
    "floor": function(1) { .float(Foundation.floor(Cast.toFloat64($0[0]))) },
    "round": variadic(2) { arguments in
      let places = try arguments.int(1)
      var roundOn = 0.5
      if arguments.count > 2 {
        switch arguments[2] {
        case .float(let float): roundOn = float
        case .int(let int): roundOn = Double(int)
        default: throw wrongType(arguments[2], expected: "float64")
        }
      }
      let power = pow(10, Double(places))
      let digit = power * Cast.toFloat64(arguments[0])
      let fraction = digit - digit.rounded(.towardZero)
      let rounded = fraction >= roundOn ? Foundation.ceil(digit) : Foundation.floor(digit)
      return .float(rounded / power)
    },
    "randInt": function(2) { arguments in
      let low = try arguments.int(0)
      let high = try arguments.int(1)
      guard high > low else { throw TemplateFunctionError("invalid argument to Intn") }
      return .int(Int.random(in: low..<high))
    },
  ]

  private static let divideByZero = TemplateFunctionError(
    "runtime error: integer divide by zero")

  /// Go's `math.Max`: NaN wins, +0 beats -0.
  private static func goMax(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN { return .nan }
    return Swift.max(a, b)
  }

  private static func goMin(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN { return .nan }
    return Swift.min(a, b)
  }

  /// `decimal.NewFromFloat(cast.ToFloat64(x))` for each value, folded with `operation`, then
  /// converted back to float64.
  private static func decimalFold(
    _ values: [TemplateValue], _ operation: (Decimal, Decimal) throws -> Decimal
  ) throws -> Double {
    var result = decimal(Cast.toFloat64(values[0]))
    for value in values.dropFirst() {
      result = try operation(result, decimal(Cast.toFloat64(value)))
    }
    return Double(result.description) ?? .nan
  }

  /// The float's shortest decimal representation, exactly, as `decimal.NewFromFloat` takes it.
  private static func decimal(_ float: Double) -> Decimal {
    guard float.isFinite else { return .nan }
    return Decimal(string: "\(float)", locale: Locale(identifier: "en_US_POSIX")) ?? .nan
  }
}
