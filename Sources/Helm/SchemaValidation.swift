import Foundation
import YAML

/// Checks values against each chart's `values.schema.json` (JSON Schema draft-07, the keywords
/// charts use), reporting every violation with its value path in the words Helm 4 uses.
public enum SchemaValidation {
  /// Validates `values` against the schemas of `chart` and (with their sections) its subcharts.
  public static func validate(chart: Chart, values: ValueTable) throws(HelmError) {
    let report = try collect(chart: chart, values: values)
    if !report.isEmpty { throw .schema(report) }
  }

  private static func collect(chart: Chart, values: ValueTable) throws(HelmError) -> String {
    var report = ""
    if let schemaData = chart.schema {
      let schema: JSONValue
      do {
        schema = try YAML.loadOne(schemaData, file: chart.fullPath + "/values.schema.json")
      } catch {
        throw .invalidChart(file: chart.fullPath + "/values.schema.json", message: "\(error)")
      }
      let errors = SchemaValidator(root: schema).validate(.object(values))
      if !errors.isEmpty {
        report += "\(chart.name):\n"
        for error in errors { report += error.formatted(indent: "") }
      }
    }
    for dependency in chart.dependencies {
      let section = values[dependency.name]?.objectValue ?? [:]
      report += try collect(chart: dependency, values: section)
    }
    return report
  }
}

/// One schema violation: the JSON pointer of the value (`/image/digest`), the message, and the
/// violations that explain it (for `allOf`, `anyOf`, `oneOf` and several at one place).
public struct SchemaViolation: Sendable, Equatable {
  public var path: String
  public var message: String
  public var causes: [SchemaViolation] = []

  /// `- at '/path': message`, causes indented below, as Helm 4 prints them.
  public func formatted(indent: String) -> String {
    var text = "\(indent)- at '\(path)': \(message)\n"
    for cause in causes { text += cause.formatted(indent: indent + "  ") }
    return text
  }
}
