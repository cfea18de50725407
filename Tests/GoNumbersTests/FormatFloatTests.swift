import GoNumbers
import Testing

/// `GoFloat.format` against texts Go's `strconv.FormatFloat` printed (the GoTemplate oracle's
/// values, and Go's documentation examples), one suite per format.
@Suite struct FormatFloatTests {
  typealias Case = (value: Double, precision: Int, text: String)

  @Test(
    arguments: [
      (1e6, -1, "1e+06"), (123456, -1, "123456"), (0.0001, -1, "0.0001"), (0.00001, -1, "1e-05"),
      (12_345_678, -1, "1.2345678e+07"), (1e21, -1, "1e+21"), (0, -1, "0"), (-0.0, -1, "-0"),
      (.leastNonzeroMagnitude, -1, "5e-324"),
      (1.7976931348623157e308, -1, "1.7976931348623157e+308"),
      (0.30000000000000004, -1, "0.30000000000000004"),
      (123_456_789_012_345_680, -1, "1.2345678901234568e+17"), (3.14159, 3, "3.14"),
      (3.14159, 10, "3.14159"), (0.0001234, 3, "0.000123"), (123456, 3, "1.23e+05"),
      (100, 3, "100"), (0.95, 1, "0.9"), (5.5, 0, "6"), (999_999.9999999, 3, "1e+06"),
    ] as [Case])
  func general(value: Double, precision: Int, text: String) {
    #expect(GoFloat.format(value, "g", precision: precision) == text)
  }

  @Test func generalUppercase() {
    #expect(GoFloat.format(1e-7, "G", precision: -1) == "1E-07")
    #expect(GoFloat.format(1e300, "G", precision: -1) == "1E+300")
  }

  @Test(
    arguments: [
      (12345.678, 6, "1.234568e+04"), (12345.678, 2, "1.23e+04"),
      (Double("1e-320")!, 6, "9.999889e-321"),
      (0, 6, "0.000000e+00"), (1e-100, 6, "1.000000e-100"), (1e23, 3, "1.000e+23"),
      (1e23, 0, "1e+23"), (.leastNonzeroMagnitude, -1, "5e-324"), (-2.5e-10, -1, "-2.5e-10"),
    ] as [Case])
  func exponent(value: Double, precision: Int, text: String) {
    #expect(GoFloat.format(value, "e", precision: precision) == text)
  }

  @Test func exponentUppercase() {
    #expect(GoFloat.format(12345.678, "E", precision: 6) == "1.234568E+04")
  }

  @Test(
    arguments: [
      (3.14159, 6, "3.141590"), (3.14159, 2, "3.14"), (2.675, 2, "2.67"), (0.5, 0, "0"),
      (1.5, 0, "2"), (2.5, 0, "2"), (0.05, 1, "0.1"), (1e15, 3, "1000000000000000.000"),
      (1e23, 6, "99999999999999991611392.000000"), (1e-5, 6, "0.000010"),
      (1e20, -1, "100000000000000000000"), (0.000001, -1, "0.000001"),
      (123456.789, -1, "123456.789"), (-1.5, -1, "-1.5"),
    ] as [Case])
  func fixed(value: Double, precision: Int, text: String) {
    #expect(GoFloat.format(value, "f", precision: precision) == text)
  }

  @Test(
    arguments: [
      (3.5, -1, "0x1.cp+01"), (3.14159, 3, "0x1.922p+01"), (1, 3, "0x1.000p+00"),
      (0.1, -1, "0x1.999999999999ap-04"), (-0.5, -1, "-0x1p-01"),
      (1e300, -1, "0x1.7e43c8800759cp+996"), (1e23, 2, "0x1.53p+76"),
      (.leastNonzeroMagnitude, -1, "0x1p-1074"),
    ] as [Case])
  func hexadecimal(value: Double, precision: Int, text: String) {
    #expect(GoFloat.format(value, "x", precision: precision) == text)
  }

  @Test func hexadecimalUppercase() {
    #expect(GoFloat.format(-1, "X", precision: -1) == "-0X1P+00")
  }

  @Test(
    arguments: [
      (1, -1, "4503599627370496p-52"), (0.1, -1, "7205759403792794p-56"),
      (1e23, -1, "5960464477539062p+24"), (.leastNonzeroMagnitude, -1, "1p-1074"),
    ] as [Case])
  func binaryExponent(value: Double, precision: Int, text: String) {
    #expect(GoFloat.format(value, "b", precision: precision) == text)
  }

  /// `FormatFloat(f, 'g', -1, 32)`, as sigs.k8s.io/yaml formats float map keys.
  @Test func thirtyTwoBits() {
    #expect(GoFloat.format(0.1, "g", precision: -1, bitSize: 32) == "0.1")
    #expect(GoFloat.format(1, "g", precision: -1, bitSize: 32) == "1")
    #expect(GoFloat.format(1e7, "g", precision: -1, bitSize: 32) == "1e+07")
    #expect(GoFloat.format(16_777_217, "g", precision: -1, bitSize: 32) == "1.6777216e+07")
    #expect(GoFloat.format(0.1, "b", precision: -1, bitSize: 32) == "13421773p-27")
    #expect(GoFloat.format(1e300, "g", precision: -1, bitSize: 32) == "+Inf")
  }

  @Test func valuesWithoutDigitsAndUnknownFormats() {
    #expect(GoFloat.format(.nan, "g", precision: -1) == "NaN")
    #expect(GoFloat.format(.infinity, "e", precision: 3) == "+Inf")
    #expect(GoFloat.format(-.infinity, "f", precision: -1) == "-Inf")
    #expect(GoFloat.format(1, "z", precision: -1) == "%z")
  }
}
