import GoNumbers
import YAML

/// TOML as Helm's `toToml` writes it (BurntSushi/toml's encoder): in each table the plain keys
/// first, then sub-tables and arrays of tables, each group sorted; nested headers indented two
/// spaces a level; a blank line before top-level tables and before every `[[array]]` entry;
/// floats in Go's shortest `%g` form with `.0` added when they look like integers.
enum TOMLEncoder {
  static func encode(_ value: JSONValue) -> String {
    var output = ""
    guard case .object(let table) = value else {
      // A non-table at the top is written inline, as BurntSushi does.
      return inline(value)
    }
    write(table, path: [], to: &output)
    return output
  }

  private static func isTable(_ value: JSONValue) -> Bool {
    if case .object = value { return true }
    return isArrayOfTables(value)
  }

  private static func isArrayOfTables(_ value: JSONValue) -> Bool {
    guard case .array(let items) = value, !items.isEmpty else { return false }
    return items.allSatisfy { if case .object = $0 { true } else { false } }
  }

  private static func indent(_ depth: Int) -> String {
    String(repeating: "  ", count: max(depth, 0))
  }

  private static func newline(_ output: inout String) {
    if !output.isEmpty { output += "\n" }
  }

  private static func write(_ table: ValueTable, path: [String], to output: inout String) {
    let keys = table.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    for key in keys where !isTable(table[key]!) && !table[key]!.isNull {
      output += indent(path.count) + quoteKey(key) + " = " + inline(table[key]!) + "\n"
    }
    for key in keys where isTable(table[key]!) {
      let childPath = path + [key]
      let header = childPath.map(quoteKey).joined(separator: ".")
      switch table[key]! {
      case .object(let child):
        if childPath.count == 1 { newline(&output) }
        output += indent(childPath.count - 1) + "[" + header + "]\n"
        write(child, path: childPath, to: &output)
      case .array(let items):
        for case .object(let child) in items {
          newline(&output)
          output += indent(childPath.count - 1) + "[[" + header + "]]\n"
          write(child, path: childPath, to: &output)
        }
      default:
        break
      }
    }
  }

  private static func quoteKey(_ key: String) -> String {
    let bare =
      !key.isEmpty
      && key.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
          || $0 == "_" || $0 == "-"
      }
    return bare ? key : quoted(key)
  }

  private static func quoted(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\u{08}": output += "\\b"
      case "\t": output += "\\t"
      case "\n": output += "\\n"
      case "\u{0C}": output += "\\f"
      case "\r": output += "\\r"
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          let hex = String(scalar.value, radix: 16, uppercase: true)
          output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    return output + "\""
  }

  private static func inline(_ value: JSONValue) -> String {
    switch value {
    case .null: return ""
    case .bool(let bool): return bool ? "true" : "false"
    case .int(let int): return String(int)
    case .double(let double): return float(double)
    case .string(let string): return quoted(string)
    case .array(let items):
      return "[" + items.filter { !$0.isNull }.map(inline).joined(separator: ", ") + "]"
    case .object(let table):
      let keys = table.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      return "{"
        + keys.filter { !table[$0]!.isNull }.map { quoteKey($0) + " = " + inline(table[$0]!) }
        .joined(separator: ", ") + "}"
    }
  }

  /// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, then `.0` when the text has neither a point
  /// nor an exponent (`1.0`, `100000.0`, `1e+06`, `-0.0`).
  static func float(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    var text = GoFloat.format(value, "g", precision: -1)
    if !text.contains(".") && !text.contains("e") { text += ".0" }
    return text
  }
}
