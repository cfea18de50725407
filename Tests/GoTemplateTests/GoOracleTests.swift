import Foundation
import GoTemplate
import Testing

/// What an oracle case expects.
enum OracleExpectation {
  /// The rendered text, byte for byte.
  case output
  /// Go's execution error message, exactly.
  case executionError
  /// Go's parse error. Helm shortens the message to the part after its last ": ", so the
  /// expectation is the `template: name:line: ` prefix plus that last part.
  case parseError
}

@Suite("Go text/template cases confirmed against Helm's Go engine")
struct GoOracleTests {
  static var values: TemplateValue { GoOracleCases.values }

  /// Renders one case as Helm does: missingkey=zero, `<no value>` removed from the output.
  static func render(_ template: String) -> Result<String, Error> {
    var set = TemplateSet(name: "gotpl", options: TemplateOptions(missingKey: .zero))
    do {
      try set.parse(name: "c/templates/t.tpl", source: template)
      let output = try set.execute(name: "c/templates/t.tpl", data: ["Values": values])
      return .success(output.replacingOccurrences(of: "<no value>", with: ""))
    } catch {
      return .failure(error)
    }
  }

  @Test("each case renders as Go renders it", arguments: GoOracleCases.cases.indices)
  func oracleCase(index: Int) {
    let testCase = GoOracleCases.cases[index]
    let result = Self.render(testCase.template)
    switch (testCase.kind, result) {
    case (.output, .success(let output)):
      #expect(output == testCase.expected, "template: \(testCase.template)")
    case (.executionError, .failure(let error)):
      #expect("\(error)" == testCase.expected, "template: \(testCase.template)")
    case (.parseError, .failure(let error)):
      let expected = testCase.expected
      let prefixEnd = expected.range(
        of: ": ", range: expected.range(of: ".tpl:")!.upperBound..<expected.endIndex)!
      let prefix = String(expected[..<prefixEnd.upperBound])
      let shortened = String(expected[prefixEnd.upperBound...])
      let message = "\(error)"
      #expect(message.hasPrefix(prefix), "template: \(testCase.template) got: \(message)")
      #expect(message.hasSuffix(shortened), "template: \(testCase.template) got: \(message)")
    case (_, .success(let output)):
      Issue.record(
        "expected error \(testCase.expected) for \(testCase.template), got output \(output)")
    case (_, .failure(let error)):
      Issue.record("expected \(testCase.expected) for \(testCase.template), got error \(error)")
    }
  }
}
