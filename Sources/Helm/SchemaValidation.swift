import Foundation
import YAML

/// Checks values against each chart's `values.schema.json` (JSON Schema draft-07, the keywords
/// charts use), reporting every violation with its value path in the words Helm 4 uses.
public enum SchemaValidation {
  /// Validates `values` against the schemas of `chart` and (with their sections) its subcharts.
  public static func validate(chart: Chart, values: ValueTable) throws(HelmError) {
    let report = try collect(chart: chart, values: values)
    if !report.isEmpty { throw .schema(report) }
  }

  private static func collect(chart: Chart, values: ValueTable) throws(HelmError) -> String {
    var report = ""
    if let schemaData = chart.schema {
      let schema: JSONValue
      do {
        schema = try YAML.loadOne(schemaData, file: chart.fullPath + "/values.schema.json")
      } catch {
        throw .invalidChart(file: chart.fullPath + "/values.schema.json", message: "\(error)")
      }
      let errors = SchemaValidator(root: schema).validate(.object(values))
      if !errors.isEmpty {
        report += "\(chart.name):\n"
        for error in errors { report += "- at '\(error.path)': \(error.message)\n" }
      }
    }
    for dependency in chart.dependencies {
      let section = values[dependency.name]?.objectValue ?? [:]
      report += try collect(chart: dependency, values: section)
    }
    return report
  }
}

/// One schema violation: the JSON pointer of the value (`/image/digest`) and the message.
public struct SchemaViolation: Sendable, Equatable {
  public var path: String
  public var message: String
}

/// A draft-07 validator for the keywords charts use: type, required, properties,
/// additionalProperties, patternProperties, items, enum, const, pattern, minimum, maximum,
/// exclusiveMinimum, exclusiveMaximum, multipleOf, minLength, maxLength, minItems, maxItems,
/// uniqueItems, minProperties, maxProperties, $ref to local definitions, anyOf, oneOf, allOf,
/// not, if/then/else. Other keywords are ignored.
public struct SchemaValidator: Sendable {
  let root: JSONValue

  /// Creates a validator for a schema document.
  public init(root: JSONValue) { self.root = root }

  /// Every violation of the schema by `value`.
  public func validate(_ value: JSONValue) -> [SchemaViolation] {
    var errors: [SchemaViolation] = []
    check(value, against: root, path: "", errors: &errors, depth: 0)
    return errors
  }

  private func resolve(_ reference: String) -> JSONValue? {
    guard reference.hasPrefix("#") else { return nil }
    var node = root
    for part in reference.dropFirst().split(separator: "/") {
      let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(
        of: "~0", with: "~")
      if let index = Int(key), case .array(let items) = node, items.indices.contains(index) {
        node = items[index]
      } else if let next = node[key] {
        node = next
      } else {
        return nil
      }
    }
    return node
  }

  private func check(
    _ value: JSONValue, against schema: JSONValue, path: String, errors: inout [SchemaViolation],
    depth: Int
  ) {
    func fail(_ message: String) { errors.append(SchemaViolation(path: path, message: message)) }
    if case .bool(let allowed) = schema {
      if !allowed { fail("false schema") }
      return
    }
    guard case .object(let keywords) = schema, depth < 64 else { return }
    if let reference = keywords["$ref"]?.stringValue {
      if let target = resolve(reference) {
        check(value, against: target, path: path, errors: &errors, depth: depth + 1)
      } else {
        fail("cannot resolve $ref \(reference)")
      }
      return  // draft-07: siblings of $ref are ignored
    }
    if let type = keywords["type"] {
      let wanted = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
      if !wanted.contains(where: { Self.hasType(value, $0) }) {
        fail("got \(Self.typeName(value)), want \(wanted.joined(separator: " or "))")
        return
      }
    }
    if let options = keywords["enum"]?.arrayValue,
      !options.contains(where: { Self.equal($0, value) })
    {
      fail("value must be one of " + options.map(Self.quoted).joined(separator: ", "))
    }
    if let constant = keywords["const"], !Self.equal(constant, value) {
      fail("value must be \(Self.quoted(constant))")
    }
    if let number = value.doubleValue, value.boolValue == nil {
      let text = Self.numberText(value)
      if let minimum = keywords["minimum"]?.doubleValue, number < minimum {
        fail("minimum: got \(text), want \(Self.numberText(keywords["minimum"]!))")
      }
      if let maximum = keywords["maximum"]?.doubleValue, number > maximum {
        fail("maximum: got \(text), want \(Self.numberText(keywords["maximum"]!))")
      }
      if let bound = keywords["exclusiveMinimum"]?.doubleValue, number <= bound {
        fail(
          "exclusiveMinimum: got \(text), want \(Self.numberText(keywords["exclusiveMinimum"]!))")
      }
      if let bound = keywords["exclusiveMaximum"]?.doubleValue, number >= bound {
        fail(
          "exclusiveMaximum: got \(text), want \(Self.numberText(keywords["exclusiveMaximum"]!))")
      }
      if let divisor = keywords["multipleOf"]?.doubleValue, divisor > 0,
        (number / divisor).rounded() != number / divisor
      {
        fail("\(text) not multipleOf \(Self.numberText(keywords["multipleOf"]!))")
      }
    }
    if case .string(let string) = value {
      let length = string.unicodeScalars.count
      if let minimum = keywords["minLength"]?.doubleValue, Double(length) < minimum {
        fail("minLength: got \(length), want \(Int(minimum))")
      }
      if let maximum = keywords["maxLength"]?.doubleValue, Double(length) > maximum {
        fail("maxLength: got \(length), want \(Int(maximum))")
      }
      if let pattern = keywords["pattern"]?.stringValue {
        if let regex = try? NSRegularExpression(pattern: pattern) {
          let range = NSRange(string.startIndex..., in: string)
          if regex.firstMatch(in: string, range: range) == nil {
            fail("\(Self.quoted(value)) does not match pattern \(Self.quoted(.string(pattern)))")
          }
        }
      }
    }
    if case .array(let items) = value {
      if let minimum = keywords["minItems"]?.doubleValue, Double(items.count) < minimum {
        fail("minItems: got \(items.count), want \(Int(minimum))")
      }
      if let maximum = keywords["maxItems"]?.doubleValue, Double(items.count) > maximum {
        fail("maxItems: got \(items.count), want \(Int(maximum))")
      }
      if keywords["uniqueItems"]?.boolValue == true {
        outer: for i in items.indices {
          for j in items.indices where j > i && Self.equal(items[i], items[j]) {
            fail("items at \(i) and \(j) are equal")
            break outer
          }
        }
      }
      if let itemSchema = keywords["items"] {
        if case .array(let tuple) = itemSchema {
          for (index, item) in items.enumerated() where index < tuple.count {
            check(
              item, against: tuple[index], path: path + "/\(index)", errors: &errors,
              depth: depth + 1)
          }
        } else {
          for (index, item) in items.enumerated() {
            check(
              item, against: itemSchema, path: path + "/\(index)", errors: &errors, depth: depth + 1
            )
          }
        }
      }
    }
    if case .object(let object) = value {
      if let required = keywords["required"]?.arrayValue?.compactMap(\.stringValue) {
        let missing = required.filter { object[$0] == nil }
        if missing.count == 1 {
          fail("missing property '\(missing[0])'")
        } else if !missing.isEmpty {
          fail("missing properties " + missing.map { "'\($0)'" }.joined(separator: ", "))
        }
      }
      if let minimum = keywords["minProperties"]?.doubleValue, Double(object.count) < minimum {
        fail("minProperties: got \(object.count), want \(Int(minimum))")
      }
      if let maximum = keywords["maxProperties"]?.doubleValue, Double(object.count) > maximum {
        fail("maxProperties: got \(object.count), want \(Int(maximum))")
      }
      let properties = keywords["properties"]?.objectValue ?? [:]
      let patterns: [(NSRegularExpression, JSONValue)] =
        (keywords["patternProperties"]?.objectValue ?? [:])
        .compactMap { key, schema in (try? NSRegularExpression(pattern: key)).map { ($0, schema) } }
      var additional: [String] = []
      for (key, propertySchema) in properties {
        if let member = object[key] {
          check(
            member, against: propertySchema, path: path + "/" + Self.escape(key), errors: &errors,
            depth: depth + 1)
        }
      }
      for (key, member) in object {
        var matched = properties[key] != nil
        for (regex, schema) in patterns
        where regex.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil {
          matched = true
          check(
            member, against: schema, path: path + "/" + Self.escape(key), errors: &errors,
            depth: depth + 1)
        }
        if !matched, let extra = keywords["additionalProperties"] {
          if case .bool(false) = extra {
            additional.append(key)
          } else {
            check(
              member, against: extra, path: path + "/" + Self.escape(key), errors: &errors,
              depth: depth + 1)
          }
        }
      }
      if !additional.isEmpty {
        fail(
          "additional propert\(additional.count == 1 ? "y" : "ies") "
            + additional.map { "'\($0)'" }.joined(separator: ", ") + " not allowed")
      }
    }
    func passes(_ subschema: JSONValue) -> Bool {
      var scratch: [SchemaViolation] = []
      check(value, against: subschema, path: path, errors: &scratch, depth: depth + 1)
      return scratch.isEmpty
    }
    if let all = keywords["allOf"]?.arrayValue {
      for subschema in all {
        check(value, against: subschema, path: path, errors: &errors, depth: depth + 1)
      }
    }
    if let any = keywords["anyOf"]?.arrayValue, !any.contains(where: passes) {
      fail("anyOf failed")
    }
    if let one = keywords["oneOf"]?.arrayValue {
      let matching = one.indices.filter { passes(one[$0]) }
      if matching.isEmpty {
        fail("oneOf failed, none matched")
      } else if matching.count > 1 {
        fail("oneOf failed, subschemas \(matching[0]), \(matching[1]) matched")
      }
    }
    if let not = keywords["not"], passes(not) {
      fail("not failed")
    }
    if let condition = keywords["if"] {
      if passes(condition) {
        if let then = keywords["then"] {
          check(value, against: then, path: path, errors: &errors, depth: depth + 1)
        }
      } else if let otherwise = keywords["else"] {
        check(value, against: otherwise, path: path, errors: &errors, depth: depth + 1)
      }
    }
  }

  private static func escape(_ key: String) -> String {
    key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
  }

  private static func hasType(_ value: JSONValue, _ type: String) -> Bool {
    switch (type, value) {
    case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array),
      ("object", .object), ("number", .int), ("number", .double), ("integer", .int):
      return true
    case ("integer", .double(let double)): return double == double.rounded()
    default: return false
    }
  }

  private static func typeName(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "boolean"
    case .int: return "integer"
    case .double(let double): return double == double.rounded() ? "integer" : "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  private static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
    if let x = a.doubleValue, let y = b.doubleValue, a.boolValue == nil, b.boolValue == nil {
      return x == y
    }
    return a == b
  }

  private static func numberText(_ value: JSONValue) -> String {
    switch value {
    case .int(let int): return String(int)
    case .double(let double): return GoJSON.formatFloat(double)
    default: return "\(value)"
    }
  }

  private static func quoted(_ value: JSONValue) -> String {
    switch value {
    case .string(let string): return "'\(string)'"
    case .int, .double: return numberText(value)
    case .bool(let bool): return bool ? "true" : "false"
    case .null: return "null"
    default: return GoJSON.encode(value)
    }
  }
}
