/// Go's text for floating-point numbers, as `strconv.FormatFloat` writes it. Templates (`printf`,
/// `%v`), Sprig's `toJson`, Helm's `toYaml` and `toToml`, and the JSON and YAML the toolkit sends
/// all print floats through this one implementation, so that they agree with Go to the byte.
public enum GoFloat {
  /// `strconv.FormatFloat(value, format, precision, bitSize)`.
  ///
  /// - Parameters:
  ///   - format: `e`/`E` (`-d.dddde±dd`), `f` (`-ddd.dddd`), `g`/`G` (`e` for large and small
  ///     exponents, `f` otherwise), `x`/`X` (`-0x1.ffffp±dd`, hexadecimal) or `b` (`-ddddp±ddd`,
  ///     the binary exponent). Any other character gives `%` and the character, as in Go.
  ///   - precision: digits after the point for `e`, `f` and `x`; significant digits for `g`. -1
  ///     asks for the fewest digits that read back as the same value.
  ///   - bitSize: 32 rounds the value to a `Float` first and finds the shortest digits of that
  ///     (what `FormatFloat(f, 'g', -1, 32)` does for YAML's float keys); otherwise 64.
  /// - Returns: the text; `NaN`, `+Inf` and `-Inf` for values without digits.
  public static func format(
    _ value: Double, _ format: Character, precision: Int, bitSize: Int = 64
  ) -> String {
    let bits: FloatBits = bitSize == 32 ? .float32 : .float64
    // A double beyond Float's range becomes an infinity, as in Go's float32 conversion.
    let rounded = bitSize == 32 ? Double(Float(value)) : value
    if rounded.isNaN { return "NaN" }
    if rounded.isInfinite { return rounded < 0 ? "-Inf" : "+Inf" }
    let magnitude = abs(rounded)
    let body: String
    switch format {
    case "b":
      body = BinaryExponentForm.text(of: magnitude, bits)
    case "x", "X":
      body = HexadecimalForm.text(of: magnitude, bits, precision: precision, upper: format == "X")
    case "e", "E":
      let digits =
        precision < 0
        ? DecimalDigits.shortest(of: magnitude, bits)
        : DecimalDigits.rounded(magnitude, significantDigits: precision + 1)
      body = ExponentForm.text(
        of: digits, precision: precision < 0 ? max(digits.count - 1, 0) : precision,
        upper: format == "E")
    case "f":
      body = FixedForm.text(of: magnitude, bits, precision: precision)
    case "g", "G":
      body = GeneralForm.text(of: magnitude, bits, precision: precision, upper: format == "G")
    default:
      return "%" + String(format)
    }
    return rounded.sign == .minus ? "-" + body : body
  }
}
