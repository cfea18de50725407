import Environments
import Helm

/// Where in the repository a render failure is: the file (from the repository root) and line
/// that an annotation points at, found in the error's own fields or in Helm's `file:line:col`.
enum RenderFailure {
  static func location(of error: EnvironmentError, environment: Environment?) -> SourceLocation? {
    switch error {
    case .invalid(let file, let line, _, _):
      return SourceLocation(file: file, line: line)
    case .schema(let file, let violations):
      let line = violations.first.flatMap { violation -> Int? in
        guard violation.hasPrefix("line ") else { return nil }
        return Int(violation.dropFirst(5).prefix { $0.isNumber })
      }
      return SourceLocation(file: file, line: line)
    case .invalidYAML(let yaml):
      return firstLocation(in: "\(yaml)", charts: [])
    case .missingFile(let path, _):
      return SourceLocation(file: path)
    case .notFound(_, let file, _):
      return SourceLocation(file: file)
    case .invalidDuration:
      return nil
    case .render(let chart, let helm):
      let charts = environment?.spec.charts.map(\.path) ?? [chart]
      switch helm {
      case .invalidChart(let file, _), .invalidValues(let file, _):
        return firstLocation(in: file, charts: charts)
          ?? SourceLocation(file: repositoryPath(file, charts: charts))
      case .renderedYAML(let template, _, _):
        return SourceLocation(file: repositoryPath(template, charts: charts))
      default:
        return firstLocation(in: helm.description, charts: charts)
      }
    }
  }

  /// The first `path:line[:column]` in `text` whose path looks like a file, mapped to the
  /// repository: Helm names templates from the chart's name (`tripgen/templates/x.yaml`), the
  /// repository holds them under the chart's directory (`charts/tripgen/templates/x.yaml`).
  static func firstLocation(in text: String, charts: [String]) -> SourceLocation? {
    let pattern = /([A-Za-z0-9_.\-\/]+\.(?:yaml|yml|tpl|txt|json)):(\d+)(?::(\d+))?/
    guard let match = text.firstMatch(of: pattern) else { return nil }
    return SourceLocation(
      file: repositoryPath(String(match.output.1), charts: charts), line: Int(match.output.2),
      column: match.output.3.flatMap { Int($0) })
  }

  /// `tripgen/templates/x.yaml` -> `charts/tripgen/templates/x.yaml` when a chart directory of the
  /// environment ends in the path's first component; other paths are already from the root.
  static func repositoryPath(_ path: String, charts: [String]) -> String {
    let first = path.prefix { $0 != "/" }
    for chart in charts where chart.split(separator: "/").last.map(String.init) == String(first) {
      if path.hasPrefix(chart + "/") { return path }
      return chart + path.dropFirst(first.count)
    }
    return path
  }
}
