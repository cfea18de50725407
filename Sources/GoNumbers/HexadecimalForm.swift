/// `%x`: `0x1.8p+01`, Go's `fmtX`: the mantissa in hexadecimal with the leading 1 before the point,
/// the binary exponent in decimal.
enum HexadecimalForm {
  static func text(of magnitude: Double, _ bits: FloatBits, precision: Int, upper: Bool) -> String {
    var (mantissa, exponent) = bits.parts(of: magnitude)
    if mantissa == 0 { exponent = 0 }
    // Shift the digits so that the leading 1 (if any) is at bit 60.
    mantissa <<= UInt64(60 - bits.mantissaBits)
    while mantissa != 0 && mantissa & (1 << 60) == 0 {
      mantissa <<= 1
      exponent -= 1
    }
    // Round to `precision` hexadecimal digits, half to even.
    if precision >= 0 && precision < 15 {
      let shift = UInt64(precision * 4)
      let extra = (mantissa << shift) & ((1 << 60) - 1)
      mantissa >>= 60 - shift
      if extra | (mantissa & 1) > 1 << 59 { mantissa += 1 }
      mantissa <<= 60 - shift
      if mantissa & (1 << 61) != 0 {
        mantissa >>= 1
        exponent += 1
      }
    }
    let hex = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
    var out: [UInt8] = [UInt8(ascii: "0"), upper ? UInt8(ascii: "X") : UInt8(ascii: "x")]
    out.append(UInt8(ascii: "0") + UInt8((mantissa >> 60) & 1))
    mantissa <<= 4
    if precision < 0 && mantissa != 0 {
      out.append(UInt8(ascii: "."))
      while mantissa != 0 {
        out.append(hex[Int((mantissa >> 60) & 15)])
        mantissa <<= 4
      }
    } else if precision > 0 {
      out.append(UInt8(ascii: "."))
      for _ in 0..<precision {
        out.append(hex[Int((mantissa >> 60) & 15)])
        mantissa <<= 4
      }
    }
    out.append(upper ? UInt8(ascii: "P") : UInt8(ascii: "p"))
    out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
    let exponentMagnitude = abs(exponent)
    if exponentMagnitude < 10 { out.append(UInt8(ascii: "0")) }
    out.append(contentsOf: String(exponentMagnitude).utf8)
    return String(decoding: out, as: UTF8.self)
  }
}
