import Collections
import YAML

/// Helm's dependency processing before a render (chartutil's dependencies.go): each
/// `dependencies:` entry of `Chart.yaml` picks its subchart under `charts/` (a copy per alias,
/// so one chart can serve several aliases), `tags` and `condition` enable or disable it, and
/// `import-values` copy values from subcharts into the parent.
public enum ChartDependencies {
  /// The chart with only its enabled subcharts, named by alias, and import-values applied to
  /// its default values. `values` are the user's values.
  public static func process(_ chart: Chart, values: ValueTable) throws(HelmError) -> Chart {
    var result = chart
    try enable(&result, values: values, path: "")
    try importValues(&result)
    result.assignPaths(result.name)
    return result
  }

  private static func enable(_ chart: inout Chart, values: ValueTable, path: String)
    throws(HelmError)
  {
    var subcharts: [Chart] = []
    // Subcharts no Chart.yaml entry names are kept as they are.
    for existing in chart.dependencies
    where !chart.metadata.dependencies.contains(where: {
      $0.name == existing.name && compatible($0.version, existing.metadata.version)
    }) {
      subcharts.append(existing)
    }
    for index in chart.metadata.dependencies.indices {
      let entry = chart.metadata.dependencies[index]
      if var copy = chart.dependencies.first(where: {
        $0.name == entry.name && compatible(entry.version, $0.metadata.version)
      }) {
        if !entry.alias.isEmpty { copy.metadata.name = entry.alias }
        subcharts.append(copy)
      }
      if !entry.alias.isEmpty { chart.metadata.dependencies[index].name = entry.alias }
      chart.metadata.dependencies[index].enabled = true
    }
    chart.dependencies = subcharts
    let coalesced = try Coalesce.values(chart, values)
    applyTags(&chart.metadata.dependencies, coalesced)
    applyConditions(&chart.metadata.dependencies, coalesced, path: path)
    let disabled = Set(chart.metadata.dependencies.filter { !$0.enabled }.map(\.name))
    chart.dependencies.removeAll { disabled.contains($0.name) }
    chart.metadata.dependencies.removeAll { disabled.contains($0.name) }
    for index in chart.dependencies.indices {
      try enable(
        &chart.dependencies[index], values: coalesced,
        path: path + chart.dependencies[index].name + ".")
    }
  }

  private static func compatible(_ constraint: String, _ version: String) -> Bool {
    constraint.isEmpty || SemverRange.isCompatible(constraint: constraint, version: version)
  }

  private static func applyTags(_ dependencies: inout [ChartDependency], _ values: ValueTable) {
    guard case .object(let tags)? = values["tags"] else { return }
    for index in dependencies.indices {
      var hasTrue = false
      var hasFalse = false
      for tag in dependencies[index].tags {
        if case .bool(let flag)? = tags[tag] {
          if flag { hasTrue = true } else { hasFalse = true }
        }
      }
      dependencies[index].enabled = hasTrue || !hasFalse
    }
  }

  private static func applyConditions(
    _ dependencies: inout [ChartDependency], _ values: ValueTable, path: String
  ) {
    for index in dependencies.indices {
      for condition in dependencies[index].condition.trimmingWhitespace().split(separator: ",")
      where !condition.isEmpty {
        if case .bool(let flag)? = values.value(atPath: path + condition) {
          dependencies[index].enabled = flag
          break
        }
      }
    }
  }

  private static func importValues(_ chart: inout Chart) throws(HelmError) {
    for index in chart.dependencies.indices { try importValues(&chart.dependencies[index]) }
    guard !chart.metadata.dependencies.isEmpty else { return }
    let merged = try Coalesce.merged(chart, [:])
    var imported: ValueTable = [:]
    for entry in chart.metadata.dependencies {
      for importValue in entry.importValues {
        switch importValue {
        case .object(let mapping):
          guard let child = mapping["child"]?.stringValue,
            let parent = mapping["parent"]?.stringValue,
            let table = merged.table(atPath: entry.name + "." + child)
          else { continue }
          imported = Coalesce.mergeTables(imported, nest(table, under: parent))
        case .string(let name):
          guard let table = merged.table(atPath: entry.name + ".exports." + name) else { continue }
          imported = Coalesce.mergeTables(imported, table)
        default:
          continue
        }
      }
    }
    // Helm replaces the chart's defaults with the merged values whenever it has dependencies;
    // the parent's own values win over imported ones.
    chart.values = .object(Coalesce.mergeTables(merged, imported))
  }

  private static func nest(_ table: ValueTable, under path: String) -> ValueTable {
    if path == "." || path.isEmpty { return table }
    var result = table
    for part in path.split(separator: ".").reversed() {
      result = [String(part): .object(result)]
    }
    return result
  }
}
