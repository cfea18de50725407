import Collections
import YAML

/// `Chart.yaml`: the fields Helm's `chart.Metadata` has, under their YAML names.
public struct ChartMetadata: Sendable {
  /// A maintainer entry.
  public struct Maintainer: Sendable, Equatable {
    public var name: String
    public var email: String
    public var url: String
  }

  public var apiVersion: String
  public var name: String
  public var version: String
  public var kubeVersion: String
  public var description: String
  public var type: String
  public var keywords: [String]
  public var home: String
  public var sources: [String]
  public var dependencies: [ChartDependency]
  public var maintainers: [Maintainer]
  public var icon: String
  public var appVersion: String
  public var deprecated: Bool
  public var annotations: [String: String]
  public var condition: String
  public var tags: String

  /// Creates metadata with the given name and version and everything else empty.
  public init(name: String, version: String, apiVersion: String = "v2") {
    self.apiVersion = apiVersion
    self.name = name
    self.version = version
    kubeVersion = ""
    description = ""
    type = ""
    keywords = []
    home = ""
    sources = []
    dependencies = []
    maintainers = []
    icon = ""
    appVersion = ""
    deprecated = false
    annotations = [:]
    condition = ""
    tags = ""
  }

  /// Reads `Chart.yaml`; `file` names it in errors. Scalars of the wrong kind are converted
  /// the way Go's YAML decoding into strings does (`appVersion: 1.0` becomes "1.0").
  public init(yaml text: String, file: String) throws(HelmError) {
    let document: JSONValue
    do {
      document = try YAML.loadOne(text, file: file)
    } catch {
      throw .invalidChart(file: file, message: "\(error)")
    }
    guard case .object(let fields) = document else {
      throw .invalidChart(file: file, message: "Chart.yaml must be a mapping")
    }
    func string(_ key: String) -> String { fields[key].map(scalarText) ?? "" }
    func strings(_ key: String) -> [String] { fields[key]?.arrayValue?.map(scalarText) ?? [] }
    self.init(name: string("name"), version: string("version"), apiVersion: string("apiVersion"))
    kubeVersion = string("kubeVersion")
    description = string("description")
    type = string("type")
    keywords = strings("keywords")
    home = string("home")
    sources = strings("sources")
    icon = string("icon")
    appVersion = string("appVersion")
    deprecated = fields["deprecated"]?.boolValue ?? false
    condition = string("condition")
    tags = string("tags")
    if case .object(let map) = fields["annotations"] {
      for (key, value) in map { annotations[key] = scalarText(value) }
    }
    maintainers = (fields["maintainers"]?.arrayValue ?? []).map {
      Maintainer(
        name: $0["name"].map(scalarText) ?? "", email: $0["email"].map(scalarText) ?? "",
        url: $0["url"].map(scalarText) ?? "")
    }
    for entry in fields["dependencies"]?.arrayValue ?? [] {
      guard case .object = entry else {
        throw .invalidChart(file: file, message: "each dependency must be a mapping")
      }
      dependencies.append(
        ChartDependency(
          name: entry["name"].map(scalarText) ?? "",
          version: entry["version"].map(scalarText) ?? "",
          repository: entry["repository"].map(scalarText) ?? "",
          condition: entry["condition"].map(scalarText) ?? "",
          tags: entry["tags"]?.arrayValue?.map(scalarText) ?? [],
          importValues: entry["import-values"]?.arrayValue ?? [],
          alias: entry["alias"].map(scalarText) ?? ""))
    }
    guard !name.isEmpty else {
      throw .invalidChart(file: file, message: "chart.metadata.name is required")
    }
    guard !version.isEmpty else {
      throw .invalidChart(file: file, message: "chart.metadata.version is required")
    }
  }
}

/// One entry of `dependencies:` in `Chart.yaml`.
public struct ChartDependency: Sendable {
  public var name: String
  public var version: String
  public var repository: String
  /// Comma-separated value paths; the first that holds a boolean enables or disables the chart.
  public var condition: String
  /// Tags under the parent's `tags:` that enable or disable the chart.
  public var tags: [String]
  /// `import-values`: strings (`exports.X`) or `{child, parent}` maps.
  public var importValues: [JSONValue]
  /// The name the subchart is used under, when set.
  public var alias: String
  /// Whether conditions and tags left the chart enabled.
  public var enabled: Bool = true

  /// Creates a dependency entry.
  public init(
    name: String, version: String = "", repository: String = "", condition: String = "",
    tags: [String] = [], importValues: [JSONValue] = [], alias: String = ""
  ) {
    self.name = name
    self.version = version
    self.repository = repository
    self.condition = condition
    self.tags = tags
    self.importValues = importValues
    self.alias = alias
  }
}

/// A scalar as the string Go's YAML decoder would put into a string field.
func scalarText(_ value: JSONValue) -> String {
  switch value {
  case .string(let string): return string
  case .int(let int): return String(int)
  case .double(let double): return goFloatString(double)
  case .bool(let bool): return bool ? "true" : "false"
  case .null: return ""
  case .array, .object: return ""
  }
}

/// A float as Go's `%v` prints the values Chart.yaml fields hold in practice (`1`, `1.5`).
func goFloatString(_ value: Double) -> String {
  if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
  return "\(value)"
}
