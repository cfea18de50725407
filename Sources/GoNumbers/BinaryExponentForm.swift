/// `%b`: the integer mantissa and the power of two it is multiplied by, `4503599627370496p-52`
/// (Go's `fmtB`).
enum BinaryExponentForm {
  static func text(of magnitude: Double, _ bits: FloatBits) -> String {
    let (mantissa, exponent) = bits.parts(of: magnitude)
    let power = exponent - bits.mantissaBits
    return "\(mantissa)p\(power >= 0 ? "+" : "")\(power)"
  }
}
