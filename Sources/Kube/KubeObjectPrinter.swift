import Foundation
import YAML

/// Output of `tripgen kube get`: kubectl's default table, YAML, JSON or names.
public enum KubeObjectPrinter {
  /// `NAME  AGE` (with `NAMESPACE` first when listing every namespace), columns padded like
  /// kubectl's tab writer.
  public static func table(_ objects: [JSONValue], withNamespace: Bool, now: Date = Date())
    -> String
  {
    var rows: [[String]] = [withNamespace ? ["NAMESPACE", "NAME", "AGE"] : ["NAME", "AGE"]]
    for object in objects {
      let name = object["metadata"]?["name"]?.stringValue ?? ""
      let created = object["metadata"]?["creationTimestamp"]?.stringValue.flatMap(
        KubeExecCredentialPlugin.parseTimestamp)
      let shown = created.map { Self.age(now.timeIntervalSince($0)) } ?? "<unknown>"
      let namespace = object["metadata"]?["namespace"]?.stringValue ?? ""
      rows.append(withNamespace ? [namespace, name, shown] : [name, shown])
    }
    var widths = [Int](repeating: 0, count: rows[0].count)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    return rows.map { row in
      row.enumerated().map { index, cell in
        index == row.count - 1
          ? cell : cell.padding(toLength: widths[index] + 3, withPad: " ", startingAt: 0)
      }.joined()
    }.joined(separator: "\n") + "\n"
  }

  /// kubectl's short ages: `45s`, `12m`, `5h`, `3d`, `2y`.
  public static func age(_ seconds: TimeInterval) -> String {
    let s = max(0, Int(seconds))
    if s < 120 { return "\(s)s" }
    if s < 3600 * 3 { return "\(s / 60)m" }
    if s < 86400 * 2 { return "\(s / 3600)h" }
    if s < 86400 * 365 * 2 { return "\(s / 86400)d" }
    return "\(s / (86400 * 365))y"
  }

  /// One object as is, or several as a `v1` `List`, as `kubectl get -o yaml` prints them.
  public static func document(_ objects: [JSONValue], single: Bool) -> JSONValue {
    if single, let first = objects.first { return first }
    return [
      "apiVersion": "v1", "items": .array(objects), "kind": "List",
      "metadata": ["resourceVersion": ""],
    ]
  }

  public static func yaml(_ objects: [JSONValue], single: Bool) -> String {
    YAML.dump(document(objects, single: single))
  }

  public static func json(_ objects: [JSONValue], single: Bool) -> String {
    KubeJSON.prettyString(document(objects, single: single)) + "\n"
  }

  /// `deployment.apps/user-service` per line, as `-o name` prints them.
  public static func names(_ objects: [JSONValue], resource: KubeAPIResource) -> String {
    objects.map { "\(resource.kubectlTypeName)/\($0["metadata"]?["name"]?.stringValue ?? "")\n" }
      .joined()
  }
}

extension KubeJSON {
  /// Indented JSON with four spaces, as kubectl prints it.
  public static func prettyString(_ value: JSONValue, indent: Int = 0) -> String {
    let pad = String(repeating: " ", count: indent + 4)
    let closing = String(repeating: " ", count: indent)
    switch value {
    case .array(let items) where !items.isEmpty:
      return "[\n"
        + items.map { pad + prettyString($0, indent: indent + 4) }.joined(separator: ",\n")
        + "\n\(closing)]"
    case .object(let fields) where !fields.isEmpty:
      return "{\n"
        + fields.map { key, item in
          pad + String(decoding: encode(.string(key)), as: UTF8.self) + ": "
            + prettyString(item, indent: indent + 4)
        }.joined(separator: ",\n") + "\n\(closing)}"
    default:
      return String(decoding: encode(value), as: UTF8.self)
    }
  }
}
