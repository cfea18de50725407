import Helm
import YAML

/// Reads `environments/<name>/environment.yaml` from a revision's files, validates it against the
/// environment schema (every violation with its line), checks what the schema cannot express, and
/// decodes it.
public enum EnvironmentLoader {
  /// The folder that holds one folder per environment.
  public static let directory = "environments"

  /// The path of an environment's file.
  public static func path(of name: String) -> String { "\(directory)/\(name)/environment.yaml" }

  /// The names of the environments in `files` (folders holding an `environment.yaml`).
  public static func names(in files: some SourceFiles) -> [String] {
    files.entries(of: directory).filter { files.file(path(of: $0)) != nil }
  }

  /// Loads and validates the environment `name`.
  public static func load(name: String, from files: some SourceFiles) throws(EnvironmentError)
    -> Environment
  {
    let file = path(of: name)
    guard let bytes = files.file(file) else {
      throw .notFound(name: name, file: file, known: names(in: files))
    }
    let environment = try decode(bytes, file: file)
    guard environment.metadata.name == name else {
      throw .invalid(
        file: file, line: line(of: ["metadata", "name"], in: bytes, file: file),
        field: "metadata.name",
        message:
          "is \"\(environment.metadata.name)\" but the folder is \"\(name)\"; they must match")
    }
    for chart in environment.spec.charts {
      for values in chart.values ?? [] where files.file(values) == nil {
        throw .missingFile(path: values, neededBy: "\(file) (chart \(chart.release))")
      }
      if files.file(chart.path + "/Chart.yaml") == nil {
        throw .missingFile(path: chart.path + "/Chart.yaml", neededBy: "\(file)")
      }
    }
    return environment
  }

  /// Validates and decodes an environment file's bytes; `file` names it in errors.
  public static func decode(_ bytes: [UInt8], file: String) throws(EnvironmentError)
    -> Environment
  {
    let value: JSONValue
    do {
      value = try YAML.loadOne(bytes, file: file)
    } catch {
      throw .invalidYAML(error)
    }
    let violations = SchemaValidator(root: schema).validate(value)
    if !violations.isEmpty {
      throw .schema(
        file: file,
        violations: flatten(violations).map { violation in
          let parts = violation.path.split(separator: "/").map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
          }
          // An unknown key is reported at the mapping that holds it; point at the key itself.
          let unknown =
            violation.message.hasPrefix("additional propert")
            ? violation.message.split(separator: "'").dropFirst().first.map(String.init) : nil
          let place =
            line(of: parts + (unknown.map { [$0] } ?? []), in: bytes, file: file).map {
              "line \($0)"
            } ?? "top level"
          let field = parts.isEmpty ? "(document)" : parts.joined(separator: ".")
          return "\(place): \(field): \(violation.message)"
        })
    }
    let environment: Environment
    do {
      environment = try YAMLDecoder().decode(Environment.self, from: bytes, file: file)
    } catch {
      throw .invalidYAML(error)
    }
    try checkSemantics(environment, bytes: bytes, file: file)
    return environment
  }

  /// What the schema cannot say: unique names, parseable durations, one target per registry.
  private static func checkSemantics(_ environment: Environment, bytes: [UInt8], file: String)
    throws(EnvironmentError)
  {
    let spec = environment.spec
    var seen: Set<String> = []
    for (index, image) in spec.images.enumerated() where !seen.insert(image.name).inserted {
      throw .invalid(
        file: file, line: line(of: ["spec", "images", "\(index)", "name"], in: bytes, file: file),
        field: "spec.images[\(index)].name", message: "\"\(image.name)\" is listed twice")
    }
    seen = []
    for (index, chart) in spec.charts.enumerated() where !seen.insert(chart.release).inserted {
      throw .invalid(
        file: file,
        line: line(of: ["spec", "charts", "\(index)", "release"], in: bytes, file: file),
        field: "spec.charts[\(index)].release", message: "\"\(chart.release)\" is listed twice")
    }
    if let interval = spec.source.interval {
      _ = try DurationSetting.seconds(interval, field: "spec.source.interval")
    }
    if let retry = spec.syncPolicy.retry { _ = try retry.delay(beforeRetry: 0) }
  }

  /// The schema, parsed once.
  private static let schema: JSONValue = {
    // The schema is a constant of this module, tested to parse.
    (try? YAML.loadOne(EnvironmentSchema.json, file: "environment.schema.json")) ?? .null
  }()

  private static func flatten(_ violations: [SchemaViolation]) -> [SchemaViolation] {
    violations.flatMap { $0.causes.isEmpty ? [$0] : flatten($0.causes) }
  }

  private static func line(of path: [String], in bytes: [UInt8], file: String) -> Int? {
    YAMLDecoder.location(of: path, in: bytes, file: file)?.mark.line
  }
}
