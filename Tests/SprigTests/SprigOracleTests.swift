import GoTemplate
import Sprig
import Testing

/// What an oracle case expects.
enum OracleExpectation {
  /// The rendered text, byte for byte.
  case output
  /// An error whose message contains the expected text (the tail of Go's message).
  case error
}

@Suite("Sprig functions confirmed against Helm's Go engine")
struct SprigOracleTests {
  @Test("each case renders as Helm renders it", arguments: SprigOracleCases.cases.indices)
  func oracleCase(index: Int) {
    let testCase = SprigOracleCases.cases[index]
    let result = Result { try renderHelmStyle(testCase.template, values: SprigOracleCases.values) }
    switch (testCase.kind, result) {
    case (.output, .success(let output)):
      #expect(output == testCase.expected, "template: \(testCase.template)")
    case (.error, .failure(let error)):
      #expect(
        "\(error)".contains(testCase.expected),
        "template: \(testCase.template) got: \(error)")
    case (_, .success(let output)):
      Issue.record(
        "expected error \(testCase.expected) for \(testCase.template), got output \(output)")
    case (_, .failure(let error)):
      Issue.record("expected \(testCase.expected) for \(testCase.template), got error \(error)")
    }
  }
}
