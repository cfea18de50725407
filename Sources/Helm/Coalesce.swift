import Collections
import YAML

/// A values tree: what `values.yaml`, `-f` files and `--set` produce.
public typealias ValueTable = OrderedDictionary<String, JSONValue>

/// Helm's value coalescing (chartutil's coalesce.go): user values over chart defaults, each
/// subchart's defaults under its name, `global` copied down to every subchart, and `null`
/// deleting a key when coalescing (but not when merging, which keeps nulls).
public enum Coalesce {
  /// The values a render sees: `values` (the user's) over the defaults of `chart` and its
  /// subcharts, with nulls removing keys.
  public static func values(_ chart: Chart, _ values: ValueTable) throws(HelmError) -> ValueTable {
    try coalesce(chart, values, merge: false)
  }

  /// As `values`, but nulls are kept (Helm's `MergeValues`, used for import-values).
  public static func merged(_ chart: Chart, _ values: ValueTable) throws(HelmError) -> ValueTable {
    try coalesce(chart, values, merge: true)
  }

  static func coalesce(_ chart: Chart, _ destination: ValueTable, merge: Bool) throws(HelmError)
    -> ValueTable
  {
    var result = coalesceValues(chart, destination, merge: merge)
    try coalesceDependencies(chart, &result, merge: merge)
    return result
  }

  private static func coalesceDependencies(
    _ chart: Chart, _ destination: inout ValueTable, merge: Bool
  ) throws(HelmError) {
    for subchart in chart.dependencies {
      let name = subchart.name
      var section: ValueTable
      switch destination[name] {
      case nil: section = [:]
      case .object(let table)?: section = table
      case let other?:
        throw .typeMismatch(key: name, value: other)
      }
      coalesceGlobals(into: &section, from: destination)
      destination[name] = .object(try coalesce(subchart, section, merge: merge))
    }
  }

  /// Copies `source`'s globals into `destination`'s, the parent's winning on conflicts.
  private static func coalesceGlobals(into destination: inout ValueTable, from source: ValueTable) {
    var destinationGlobals: ValueTable
    switch destination["global"] {
    case nil: destinationGlobals = [:]
    case .object(let table)?: destinationGlobals = table
    default: return
    }
    let sourceGlobals: ValueTable
    switch source["global"] {
    case nil: sourceGlobals = [:]
    case .object(let table)?: sourceGlobals = table
    default: return
    }
    for (key, value) in sourceGlobals {
      if case .object(let table) = value {
        if let existing = destinationGlobals[key] {
          if case .object(let existingTable) = existing {
            destinationGlobals[key] = .object(coalesceTables(table, existingTable, merge: true))
          }
        } else {
          destinationGlobals[key] = value
        }
      } else if case .object? = destinationGlobals[key] {
        continue
      } else {
        destinationGlobals[key] = value
      }
    }
    destination["global"] = .object(destinationGlobals)
  }

  /// The chart's own defaults under `values`.
  private static func coalesceValues(_ chart: Chart, _ values: ValueTable, merge: Bool)
    -> ValueTable
  {
    var result = values
    guard case .object(let defaults) = chart.values else { return result }
    let subchartNames = Set(chart.dependencies.map(\.name))
    for (key, defaultValue) in defaults {
      if let value = result[key] {
        if case .null = value, !merge {
          result.removeValue(forKey: key)
        } else if case .object(let table) = value, case .object(let defaultTable) = defaultValue {
          let mergeHere = subchartNames.contains(key) ? true : merge
          result[key] = .object(coalesceTables(table, defaultTable, merge: mergeHere))
        }
      } else if !defaultValue.isNull || merge {
        // A null default with nothing over it disappears when coalescing, as in Helm 4.
        result[key] = defaultValue
      }
    }
    return result
  }

  /// `destination` over `source`: Helm's `CoalesceTables` (merge false) and the merging variant.
  public static func coalesceTables(
    _ destination: ValueTable, _ source: ValueTable, merge: Bool = false
  )
    -> ValueTable
  {
    var result = destination
    // A null deletes a key only where the lower layer has one; elsewhere it stays, as Helm 4
    // shows (`.Values.global.x` prints <nil> when only the user wrote `x: null`).
    for (key, sourceValue) in source {
      if let existing = result[key] {
        if existing.isNull && !merge {
          result.removeValue(forKey: key)
        } else if case .object(let sourceTable) = sourceValue {
          if case .object(let existingTable) = existing {
            result[key] = .object(coalesceTables(existingTable, sourceTable, merge: merge))
          }
        }
      } else {
        result[key] = sourceValue
      }
    }
    return result
  }

  /// Helm's `mergeMaps` for user values files: `overlay` over `base`, tables merged
  /// recursively, everything else replaced (nulls kept, to delete keys when coalescing later).
  public static func mergeUserValues(_ base: ValueTable, _ overlay: ValueTable) -> ValueTable {
    var result = base
    for (key, value) in overlay {
      if case .object(let overlayTable) = value, case .object(let baseTable)? = result[key] {
        result[key] = .object(mergeUserValues(baseTable, overlayTable))
      } else {
        result[key] = value
      }
    }
    return result
  }

  /// Helm's `MergeTables`: `destination` over `source`, nulls kept.
  static func mergeTables(_ destination: ValueTable, _ source: ValueTable) -> ValueTable {
    var result = destination
    for (key, sourceValue) in source {
      guard let existing = result[key] else {
        result[key] = sourceValue
        continue
      }
      if case .object(let existingTable) = existing, case .object(let sourceTable) = sourceValue {
        result[key] = .object(mergeTables(existingTable, sourceTable))
      }
    }
    return result
  }
}

extension ValueTable {
  /// The value at a dotted path (`user-service.enabled`), or nil when any step is missing or
  /// not a table.
  func value(atPath path: String) -> JSONValue? {
    let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    var table = self
    for part in parts.dropLast() {
      guard case .object(let next)? = table[part] else { return nil }
      table = next
    }
    return table[parts.last ?? ""]
  }

  /// The table at a dotted path, or nil.
  func table(atPath path: String) -> ValueTable? {
    if path.isEmpty { return self }
    guard case .object(let table)? = value(atPath: path) else { return nil }
    return table
  }
}
