import GoTemplate
import Sprig
import YAML

/// The template functions a Helm render has: Helm's own (`include`, `tpl`, `required`, `fail`,
/// `toYaml`, ...) over a base map (Sprig, as Helm ships it).
public enum HelmFunctions {
  /// The functions Helm's own are layered over: Sprig's, as Helm ships them. Callers may
  /// inject another base (`TemplateEngine(base:)`).
  public static let base: [String: TemplateFunction] = Sprig.functions

  /// Marks `required` and `fail` messages so the engine can report them as Helm does
  /// (`execution error at (file:line:col): message`).
  static let failureStart = "HELM_ERR_START"
  static let failureEnd = "HELM_ERR_END"

  /// `base` with Helm's own functions added (Helm's win on a name clash, as in Helm, where
  /// they replace Sprig's `fail` and remove `env`/`expandenv`).
  public static func all(base: [String: TemplateFunction] = HelmFunctions.base) -> [String:
    TemplateFunction]
  {
    var functions = base
    functions["env"] = nil
    functions["expandenv"] = nil
    for (name, function) in own { functions[name] = function }
    return functions
  }

  /// Helm's own functions.
  public static let own: [String: TemplateFunction] = [
    "include": TemplateFunction(arity: .exactly(2)) { arguments, context in
      .string(try context.executeTemplate(named: try string(arguments[0]), data: arguments[1]))
    },
    "tpl": TemplateFunction(arity: .exactly(2)) { arguments, context in
      let source = try string(arguments[0])
      do {
        let output = try context.parseAndExecute(source: source, name: "gotpl", data: arguments[1])
        return .string(output.replacingAll("<no value>", with: ""))
      } catch {
        throw TemplateFunctionError(
          "error during tpl function execution for \(goQuote(source)): \(error)")
      }
    },
    "required": TemplateFunction(arity: .exactly(2)) { arguments, _ in
      let message = try string(arguments[0])
      switch arguments[1] {
      case .null, .missing, .string(""):
        throw TemplateFunctionError(failureStart + message + failureEnd)
      default:
        return arguments[1]
      }
    },
    "fail": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      throw TemplateFunctionError(failureStart + (try string(arguments[0])) + failureEnd)
    },
    "toYaml": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      .string(toYAML(arguments[0]))
    },
    "mustToYaml": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      .string(toYAML(arguments[0]))
    },
    "fromYaml": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      do {
        let value = try LenientYAML.loadOne(try string(arguments[0]), file: nil).numbersAsFloats
        switch value {
        case .object, .null: return TemplateValue(json: value.isNull ? .object([:]) : value)
        default:
          return .map([
            "Error": .string(
              "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(jsonKind(value)) into Go value of type map[string]interface {}"
            )
          ])
        }
      } catch {
        return .map(["Error": .string("\(error)")])
      }
    },
    "fromYamlArray": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      do {
        let value = try LenientYAML.loadOne(try string(arguments[0]), file: nil).numbersAsFloats
        switch value {
        case .array, .null: return TemplateValue(json: value.isNull ? .array([]) : value)
        default:
          return .list([
            .string(
              "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(jsonKind(value)) into Go value of type []interface {}"
            )
          ])
        }
      } catch {
        return .list([.string("\(error)")])
      }
    },
    "toJson": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      .string(GoJSON.encode(arguments[0].jsonValue))
    },
    "mustToJson": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      .string(GoJSON.encode(arguments[0].jsonValue))
    },
    "fromJson": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      do {
        let value = try LenientYAML.loadOne(try string(arguments[0]), file: nil).numbersAsFloats
        guard case .object = value else {
          return .map([
            "Error": .string(
              "json: cannot unmarshal \(jsonKind(value)) into Go value of type map[string]interface {}"
            )
          ])
        }
        return TemplateValue(json: value)
      } catch {
        return .map(["Error": .string("\(error)")])
      }
    },
    "fromJsonArray": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      do {
        let value = try LenientYAML.loadOne(try string(arguments[0]), file: nil).numbersAsFloats
        guard case .array = value else {
          return .list([
            .string(
              "json: cannot unmarshal \(jsonKind(value)) into Go value of type []interface {}")
          ])
        }
        return TemplateValue(json: value)
      } catch {
        return .list([.string("\(error)")])
      }
    },
    "toToml": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      .string(TOMLEncoder.encode(arguments[0].typedJSONValue))
    },
    "mustToToml": TemplateFunction(arity: .exactly(1)) { arguments, _ in
      .string(TOMLEncoder.encode(arguments[0].typedJSONValue))
    },
    "lookup": TemplateFunction(arity: .exactly(4)) { _, _ in
      // Offline there is no cluster: Helm's template and dry-run renders return an empty map.
      .map([:])
    },
  ]

  /// Helm's `toYaml`: the value through JSON into YAML, keys sorted, without the final newline.
  static func toYAML(_ value: TemplateValue) -> String {
    var text = YAML.dump(value.jsonValue.negativeZeroAsZero, sortKeys: true)
    if text.hasSuffix("\n") { text.removeLast() }
    return text
  }

  private static func string(_ value: TemplateValue) throws -> String {
    switch value {
    case .string(let string): return string
    default:
      throw TemplateFunctionError(
        "wrong type for value; expected string; got \(value.goTypeName)")
    }
  }

  private static func jsonKind(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "bool"
    case .int, .double: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }
}

extension JSONValue {
  /// `-0` read back from JSON by YAML is the integer 0.
  var negativeZeroAsZero: JSONValue {
    switch self {
    case .double(let double) where double == 0: return .int(0)
    case .array(let items): return .array(items.map(\.negativeZeroAsZero))
    case .object(let entries): return .object(entries.mapValues(\.negativeZeroAsZero))
    default: return self
    }
  }
}

extension String {
  /// Every occurrence of `target` replaced, comparing UTF-8 bytes (Go's strings.ReplaceAll).
  /// Runs on every rendered template, so it scans bytes instead of going through Foundation.
  func replacingAll(_ target: String, with replacement: String) -> String {
    let pattern = Array(target.utf8)
    guard let first = pattern.first else { return self }
    let result = utf8.withContiguousStorageIfAvailable { bytes -> String in
      var output: [UInt8] = []
      var copied = 0
      var index = 0
      let end = bytes.count - pattern.count
      while index <= end {
        if bytes[index] == first
          && bytes[index..<index + pattern.count].elementsEqual(pattern)
        {
          if output.isEmpty { output.reserveCapacity(bytes.count) }
          output.append(contentsOf: bytes[copied..<index])
          output.append(contentsOf: replacement.utf8)
          index += pattern.count
          copied = index
        } else {
          index += 1
        }
      }
      if copied == 0 { return self }
      output.append(contentsOf: bytes[copied...])
      return String(decoding: output, as: UTF8.self)
    }
    if let result { return result }
    var contiguous = self
    contiguous.makeContiguousUTF8()
    return contiguous.replacingAll(target, with: replacement)
  }
}
