import OrderedCollections
import YAML

/// One file of a chart, with its path relative to the chart's root (`templates/deployment.yaml`).
public struct ChartFile: Sendable, Equatable {
  /// The path inside the chart, `/`-separated.
  public var name: String
  /// The file's bytes.
  public var data: [UInt8]

  /// Creates a file.
  public init(name: String, data: [UInt8]) {
    self.name = name
    self.data = data
  }

  /// The bytes as text (invalid UTF-8 is repaired, as Go's string conversion keeps bytes).
  public var text: String { String(decoding: data, as: UTF8.self) }
}

/// A loaded chart: its metadata, default values, templates, other files and subcharts.
///
/// This is Helm's `chart.Chart` for API version v2 charts. Subcharts are the directories under
/// `charts/`; `ChartDependencies` turns them into the enabled, aliased set a render uses.
public struct Chart: Sendable {
  /// `Chart.yaml`.
  public var metadata: ChartMetadata
  /// `values.yaml` (an empty object when the chart has none), with numbers as Helm reads them.
  public var values: JSONValue
  /// `values.schema.json`, when present.
  public var schema: [UInt8]?
  /// Files under `templates/`, partials included.
  public var templates: [ChartFile]
  /// Every other file (`crds/`, `files/`, `README.md`, ...), reachable through `.Files`.
  public var files: [ChartFile]
  /// Subcharts (after dependency processing: enabled ones, named by alias).
  public var dependencies: [Chart]
  /// The chart's path in the tree: `tripgen` or `tripgen/charts/user-service`; set by the loader
  /// and by dependency processing.
  public var fullPath: String

  /// The chart's name (its alias when it is an aliased subchart).
  public var name: String { metadata.name }

  /// Whether this is a library chart, whose templates are only partials.
  public var isLibrary: Bool { metadata.type.lowercased() == "library" }

  /// Creates a chart from its parts.
  public init(
    metadata: ChartMetadata, values: JSONValue = .object([:]), schema: [UInt8]? = nil,
    templates: [ChartFile] = [], files: [ChartFile] = [], dependencies: [Chart] = [],
    fullPath: String? = nil
  ) {
    self.metadata = metadata
    self.values = values
    self.schema = schema
    self.templates = templates
    self.files = files
    self.dependencies = dependencies
    self.fullPath = fullPath ?? metadata.name
  }

  /// The CRD files of this chart and its subcharts (`crds/*.yaml|yml|json`), as Helm's
  /// `CRDObjects` lists them: the path including the chart path, and the content.
  public var crdFiles: [(path: String, file: ChartFile)] {
    var result: [(path: String, file: ChartFile)] = []
    for file in files where file.name.hasPrefix("crds/") && Self.isManifestFile(file.name) {
      result.append((fullPath + "/" + file.name, file))
    }
    for dependency in dependencies { result += dependency.crdFiles }
    return result
  }

  static func isManifestFile(_ name: String) -> Bool {
    name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json")
  }

  /// Sets the full paths of this chart's subtree, with this chart at `path`.
  mutating func assignPaths(_ path: String) {
    fullPath = path
    for index in dependencies.indices {
      dependencies[index].assignPaths(path + "/charts/" + dependencies[index].name)
    }
  }
}
