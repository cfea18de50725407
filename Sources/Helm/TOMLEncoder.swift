import YAML

/// TOML for Helm's `toToml` (BurntSushi/toml's encoder): plain keys first, then tables as
/// `[a.b]` sections, keys sorted.
enum TOMLEncoder {
  static func encode(_ value: JSONValue) -> String {
    guard case .object(let table) = value else { return "" }
    var output = ""
    write(table, path: [], to: &output)
    return output
  }

  private static func write(_ table: ValueTable, path: [String], to output: inout String) {
    let keys = table.keys.sorted()
    for key in keys {
      let value = table[key]!
      if case .object = value { continue }
      if case .null = value { continue }
      output += String(repeating: "  ", count: max(path.count - 1, 0) + (path.isEmpty ? 0 : 1))
      output += quoteKey(key) + " = " + inline(value) + "\n"
    }
    for key in keys {
      guard case .object(let child) = table[key]! else { continue }
      let childPath = path + [key]
      output +=
        "\n" + String(repeating: "  ", count: path.count) + "["
        + childPath.map(quoteKey).joined(separator: ".") + "]\n"
      write(child, path: childPath, to: &output)
    }
  }

  private static func quoteKey(_ key: String) -> String {
    let bare =
      !key.isEmpty
      && key.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
          || $0 == "_" || $0 == "-"
      }
    return bare ? key : goQuoted(key)
  }

  private static func inline(_ value: JSONValue) -> String {
    switch value {
    case .null: return "\"\""
    case .bool(let bool): return bool ? "true" : "false"
    case .int(let int): return String(int)
    case .double(let double):
      let text = GoJSON.formatFloat(double)
      return text.contains(".") || text.contains("e") ? text : text + ".0"
    case .string(let string): return goQuoted(string)
    case .array(let items): return "[" + items.map(inline).joined(separator: ", ") + "]"
    case .object(let table):
      return "{"
        + table.keys.sorted().map { quoteKey($0) + " = " + inline(table[$0]!) }
        .joined(separator: ", ") + "}"
    }
  }
}
