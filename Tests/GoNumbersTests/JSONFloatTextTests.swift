import GoNumbers
import Testing

/// `GoFloat.jsonText` against `json.Marshal` of a float64: the shortest `%f` form, `%e` outside
/// [1e-6, 1e21) with a negative exponent's leading zero dropped.
@Suite struct JSONFloatTextTests {
  @Test(
    arguments: [
      (1e21, "1e+21"), (1e20, "100000000000000000000"), (1e-7, "1e-7"), (0.000001, "0.000001"),
      (-1.5, "-1.5"), (123456.789, "123456.789"), (1e-10, "1e-10"), (0, "0"), (-0.0, "-0"),
      (.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
      (100, "100"),
      (0.1, "0.1"),
    ] as [(Double, String)])
  func goText(value: Double, text: String) {
    #expect(GoFloat.jsonText(value) == text)
  }

  /// JSON has none of these; a message quoting such a value shows strconv's text.
  @Test func valuesJSONCannotHold() {
    #expect(GoFloat.jsonText(.nan) == "NaN")
    #expect(GoFloat.jsonText(.infinity) == "+Inf")
    #expect(GoFloat.jsonText(-.infinity) == "-Inf")
  }
}
