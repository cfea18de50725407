import Checks
import Environments

/// The repository file (and line) of a check finding, for its annotation: findings name either a
/// rendered template (`tripgen/charts/redis/templates/statefulset.yaml`) or a file with a line
/// (`environments/dev/values.yaml:12`).
enum CheckLocation {
  /// The finding without its severity prefix (the annotation's level says it).
  static func message(_ finding: CheckFinding) -> String {
    let text = finding.description
    let prefix = finding.severity.rawValue + ": "
    return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
  }

  static func of(_ finding: CheckFinding, _ environment: Environment) -> SourceLocation? {
    guard let source = finding.source else { return nil }
    let charts = environment.spec.charts.map(\.path)
    if let location = RenderFailure.firstLocation(in: source, charts: charts) { return location }
    return SourceLocation(file: RenderFailure.repositoryPath(source, charts: charts))
  }
}
