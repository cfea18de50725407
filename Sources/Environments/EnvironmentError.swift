import Helm
import YAML

/// Why an environment could not be loaded or rendered. Every case names the file (and line, where
/// there is one) and what to change.
public enum EnvironmentError: Error, Sendable, Equatable, CustomStringConvertible {
  /// `environments/<name>/environment.yaml` is not in the source.
  case notFound(name: String, file: String, known: [String])
  /// The file is not valid YAML.
  case invalidYAML(YAMLError)
  /// The file does not follow the environment schema; one line per violation, each with its line.
  case schema(file: String, violations: [String])
  /// A value the schema accepts but the environment cannot use.
  case invalid(file: String, line: Int?, field: String, message: String)
  /// A duration that is not in Go's format.
  case invalidDuration(field: String, text: String)
  /// A file the environment names is missing from the source.
  case missingFile(path: String, neededBy: String)
  /// A chart failed to load or render.
  case render(chart: String, HelmError)

  public var description: String {
    switch self {
    case .notFound(let name, let file, let known):
      let list = known.isEmpty ? "none" : known.joined(separator: ", ")
      return "environment \"\(name)\" not found: \(file) does not exist (environments: \(list))"
    case .invalidYAML(let error):
      return "\(error)"
    case .schema(let file, let violations):
      return "\(file) does not follow the environment schema:\n"
        + violations.map { "  \($0)" }.joined(separator: "\n")
    case .invalid(let file, let line, let field, let message):
      return "\(file)\(line.map { ":\($0)" } ?? ""): \(field): \(message)"
    case .invalidDuration(let field, let text):
      return "\(field): \"\(text)\" is not a duration (write it as Go does: 30s, 5m, 1h30m)"
    case .missingFile(let path, let neededBy):
      return "\(path) does not exist (named by \(neededBy))"
    case .render(let chart, let error):
      return "chart \(chart): \(error)"
    }
  }
}
