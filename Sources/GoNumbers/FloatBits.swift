/// The IEEE 754 layout of a `Float` or a `Double`: what `%b` and `%x` read the mantissa and the
/// binary exponent from, and which shortest digits `-1` precision asks for.
struct FloatBits: Sendable {
  let mantissaBits: Int
  let exponentBits: Int
  let bias: Int

  static let float32 = FloatBits(mantissaBits: 23, exponentBits: 8, bias: -127)
  static let float64 = FloatBits(mantissaBits: 52, exponentBits: 11, bias: -1023)

  var is32Bit: Bool { mantissaBits == 23 }

  /// The mantissa (implicit top bit included for normal values) and the unbiased binary exponent
  /// of a finite non-negative value, as Go's `genericFtoa` extracts them.
  func parts(of magnitude: Double) -> (mantissa: UInt64, exponent: Int) {
    let pattern = is32Bit ? UInt64(Float(magnitude).bitPattern) : magnitude.bitPattern
    var exponent = Int(pattern >> UInt64(mantissaBits)) & (1 << exponentBits - 1)
    var mantissa = pattern & (UInt64(1) << UInt64(mantissaBits) - 1)
    if exponent == 0 {
      exponent += 1  // subnormal
    } else {
      mantissa |= UInt64(1) << UInt64(mantissaBits)
    }
    return (mantissa, exponent + bias)
  }
}
