/// `%g`: `%e` for large and small exponents, `%f` otherwise; the choice of Go's `formatDigits`.
enum GeneralForm {
  static func text(of magnitude: Double, _ bits: FloatBits, precision: Int, upper: Bool)
    -> String
  {
    let shortest = precision < 0
    var precision = precision
    let digits: DecimalDigits
    if shortest {
      digits = DecimalDigits.shortest(of: magnitude, bits)
      precision = digits.count
    } else {
      if precision == 0 { precision = 1 }
      digits = DecimalDigits.rounded(magnitude, significantDigits: precision)
    }
    var exponentLimit = precision
    if exponentLimit > digits.count && digits.count >= digits.decimalPoint {
      exponentLimit = digits.count
    }
    // The shortest form switches at 1e+06 whatever its digits (Go's "eprec = 6"), so that
    // 123456789.0 prints as 1.23456789e+08, not as nine digits.
    if shortest { exponentLimit = 6 }
    let exponent = digits.decimalPoint - 1
    if exponent < -4 || exponent >= exponentLimit {
      if precision > digits.count { precision = digits.count }
      return ExponentForm.text(of: digits, precision: max(precision - 1, 0), upper: upper)
    }
    if precision > digits.decimalPoint { precision = digits.count }
    return FixedForm.text(of: digits, precision: max(precision - digits.decimalPoint, 0))
  }
}
