import Foundation
import GoNumbers
import YAML

/// A JSON Schema draft-07 validator for the keywords charts use: type, required, properties,
/// additionalProperties, patternProperties, items, enum, const, pattern, minimum, maximum,
/// exclusiveMinimum, exclusiveMaximum, multipleOf, minLength, maxLength, minItems, maxItems,
/// uniqueItems, minProperties, maxProperties, `$ref` into the same document, anyOf, oneOf,
/// allOf, not, if/then/else. Other keywords (formats, remote references) are not checked.
///
/// Messages are worded as Helm 4's validator (santhosh-tekuri/jsonschema v6) words them. Where
/// Helm lists several violations in Go map order (which varies from run to run), we list them
/// in schema order.
public struct SchemaValidator: Sendable {
  let root: JSONValue

  /// Creates a validator for a schema document.
  public init(root: JSONValue) { self.root = root }

  /// The violations of the schema by `value`, as Helm lists them at the top level.
  public func validate(_ value: JSONValue) -> [SchemaViolation] {
    let errors = check(value, against: root, path: "", depth: 0)
    guard errors.count == 1 else { return errors }
    if errors[0].message == "validation failed" { return errors[0].causes }
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

  /// The schema's result for a value: no violation, one, or a "validation failed" group.
  private func check(_ value: JSONValue, against schema: JSONValue, path: String, depth: Int)
    -> [SchemaViolation]
  {
    let errors = keywordErrors(value, schema, path: path, depth: depth)
    if errors.count > 1 {
      return [SchemaViolation(path: path, message: "validation failed", causes: errors)]
    }
    return errors
  }

  private func keywordErrors(_ value: JSONValue, _ schema: JSONValue, path: String, depth: Int)
    -> [SchemaViolation]
  {
    var errors: [SchemaViolation] = []
    func fail(_ message: String, causes: [SchemaViolation] = []) {
      errors.append(SchemaViolation(path: path, message: message, causes: causes))
    }
    if case .bool(let allowed) = schema {
      if !allowed { fail("false schema") }
      return errors
    }
    guard case .object(let keywords) = schema, depth < 64 else { return errors }
    if let reference = keywords["$ref"]?.stringValue {
      guard let target = resolve(reference) else {
        fail("cannot resolve $ref \(reference)")
        return errors
      }
      // draft-07: keywords beside $ref are ignored.
      return check(value, against: target, path: path, depth: depth + 1)
    }
    if let type = keywords["type"] {
      let wanted = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
      if !wanted.contains(where: { Self.hasType(value, $0) }) {
        fail("got \(Self.typeName(value)), want \(wanted.sorted().joined(separator: " or "))")
        return errors
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
      func bound(_ name: String, _ violated: (Double, Double) -> Bool) {
        if let limit = keywords[name], let limitValue = limit.doubleValue,
          violated(number, limitValue)
        {
          fail("\(name): got \(text), want \(Self.numberText(limit))")
        }
      }
      bound("minimum", <)
      bound("maximum", >)
      bound("exclusiveMinimum", <=)
      bound("exclusiveMaximum", >=)
      if let divisor = keywords["multipleOf"], let divisorValue = divisor.doubleValue,
        divisorValue > 0, (number / divisorValue).rounded() != number / divisorValue
      {
        fail("\(text) not multipleOf \(Self.numberText(divisor))")
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
      if let pattern = keywords["pattern"]?.stringValue,
        let regex = try? NSRegularExpression(pattern: pattern),
        regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) == nil
      {
        fail("\(Self.quoted(value)) does not match pattern \(Self.quoted(.string(pattern)))")
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
        for (index, item) in items.enumerated() {
          var schema = itemSchema
          if case .array(let tuple) = itemSchema {
            guard index < tuple.count else { break }
            schema = tuple[index]
          }
          errors += check(item, against: schema, path: path + "/\(index)", depth: depth + 1)
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
      for (key, propertySchema) in properties {
        if let member = object[key] {
          errors += check(
            member, against: propertySchema, path: path + "/" + Self.escape(key), depth: depth + 1)
        }
      }
      let patterns: [(NSRegularExpression, JSONValue)] =
        (keywords["patternProperties"]?.objectValue ?? [:]).compactMap { key, schema in
          (try? NSRegularExpression(pattern: key)).map { ($0, schema) }
        }
      var additional: [String] = []
      for (key, member) in object {
        var matched = properties[key] != nil
        for (regex, schema) in patterns
        where regex.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil {
          matched = true
          errors += check(
            member, against: schema, path: path + "/" + Self.escape(key), depth: depth + 1)
        }
        guard !matched, let extra = keywords["additionalProperties"] else { continue }
        if case .bool(false) = extra {
          additional.append(key)
        } else {
          errors += check(
            member, against: extra, path: path + "/" + Self.escape(key), depth: depth + 1)
        }
      }
      if !additional.isEmpty {
        fail(
          "additional propert\(additional.count == 1 ? "y" : "ies") "
            + additional.sorted().map { "'\($0)'" }.joined(separator: ", ") + " not allowed")
      }
    }
    if let all = keywords["allOf"]?.arrayValue {
      let causes = all.flatMap { check(value, against: $0, path: path, depth: depth + 1) }
      if !causes.isEmpty { fail("'allOf' failed", causes: causes) }
    }
    if let any = keywords["anyOf"]?.arrayValue {
      let results = any.map { check(value, against: $0, path: path, depth: depth + 1) }
      if !results.contains(where: \.isEmpty) {
        fail("'anyOf' failed", causes: results.flatMap { $0 })
      }
    }
    if let one = keywords["oneOf"]?.arrayValue {
      let results = one.map { check(value, against: $0, path: path, depth: depth + 1) }
      let matching = results.indices.filter { results[$0].isEmpty }
      if matching.isEmpty {
        fail("'oneOf' failed, none matched", causes: results.flatMap { $0 })
      } else if matching.count > 1 {
        fail("'oneOf' failed, subschemas \(matching[0]), \(matching[1]) matched")
      }
    }
    if let not = keywords["not"], check(value, against: not, path: path, depth: depth + 1).isEmpty {
      fail("'not' failed")
    }
    if let condition = keywords["if"] {
      let holds = check(value, against: condition, path: path, depth: depth + 1).isEmpty
      if holds, let then = keywords["then"] {
        errors += check(value, against: then, path: path, depth: depth + 1)
      } else if !holds, let otherwise = keywords["else"] {
        errors += check(value, against: otherwise, path: path, depth: depth + 1)
      }
    }
    return errors
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

  /// The JSON type of a value as the validator reports it: values files give float64s, which
  /// are "number" even when whole; `--set` integers are "integer".
  private static func typeName(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "boolean"
    case .int: return "integer"
    case .double: return "number"
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

  /// Numbers as the validator prints them: English digit grouping (`70,000`).
  static func numberText(_ value: JSONValue) -> String {
    let plain: String
    switch value {
    case .int(let int): plain = String(int)
    case .double(let double): plain = GoFloat.jsonText(double)
    default: return "\(value)"
    }
    guard !plain.contains("e") else { return plain }
    var sign = ""
    var digits = Substring(plain)
    if digits.hasPrefix("-") {
      sign = "-"
      digits = digits.dropFirst()
    }
    var fraction: Substring = ""
    if let dot = digits.firstIndex(of: ".") {
      fraction = digits[dot...]
      digits = digits[..<dot]
    }
    var grouped = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
      grouped.append(digit)
    }
    return sign + grouped + fraction
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
