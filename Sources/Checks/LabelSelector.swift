import YAML

/// A Kubernetes label selector (`matchLabels` and `matchExpressions`), as NetworkPolicies and
/// workloads write it.
struct LabelSelector {
  var selector: JSONValue

  /// Whether the selector selects pods with `labels`. An empty selector selects every pod.
  func matches(_ labels: [String: String]) -> Bool {
    for (key, value) in selector["matchLabels"]?.objectValue ?? [:] {
      guard labels[key] == value.stringValue else { return false }
    }
    for expression in selector["matchExpressions"]?.arrayValue ?? [] {
      guard let key = expression["key"]?.stringValue else { return false }
      let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
      switch expression["operator"]?.stringValue {
      case "In": guard let label = labels[key], values.contains(label) else { return false }
      case "NotIn": if let label = labels[key], values.contains(label) { return false }
      case "Exists": guard labels[key] != nil else { return false }
      case "DoesNotExist": guard labels[key] == nil else { return false }
      default: return false
      }
    }
    return true
  }

  /// A Service's `spec.selector` (plain labels) as a selector.
  static func service(_ selector: JSONValue) -> LabelSelector {
    LabelSelector(selector: ["matchLabels": selector])
  }
}
