import Foundation
import GoTemplate
import YAML

/// `.Files`: the chart's non-template files, with Helm's accessors `Get`, `GetBytes`, `Glob`,
/// `Lines`, `AsConfig` and `AsSecrets`.
struct FilesObject: TemplateObject {
  let files: [String: [UInt8]]
  var typeName: String { "engine.files" }

  init(_ files: [String: [UInt8]]) { self.files = files }
  init(chart: Chart) {
    var files: [String: [UInt8]] = [:]
    for file in chart.files { files[file.name] = file.data }
    self.files = files
  }

  func field(named name: String) -> TemplateValue? { nil }

  func method(named name: String) -> TemplateFunction? {
    let files = files
    switch name {
    case "Get":
      return TemplateFunction(arity: .exactly(1)) { arguments, _ in
        .string(
          files[try Self.string(arguments[0])].map { String(decoding: $0, as: UTF8.self) } ?? "")
      }
    case "GetBytes":
      return TemplateFunction(arity: .exactly(1)) { arguments, _ in
        .list((files[try Self.string(arguments[0])] ?? []).map { .uint(UInt($0)) })
      }
    case "Glob":
      return TemplateFunction(arity: .exactly(1)) { arguments, _ in
        let pattern = GlobPattern(try Self.string(arguments[0]), extended: true)
        return .object(FilesObject(files.filter { pattern.matches($0.key) }))
      }
    case "Lines":
      return TemplateFunction(arity: .exactly(1)) { arguments, _ in
        guard let data = files[try Self.string(arguments[0])] else { return .list([]) }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return .list(
          text.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) })
      }
    case "AsConfig":
      return TemplateFunction(arity: .exactly(0)) { _, _ in
        .string(Self.yamlMap(files) { String(decoding: $0, as: UTF8.self) })
      }
    case "AsSecrets":
      return TemplateFunction(arity: .exactly(0)) { _, _ in
        .string(Self.yamlMap(files) { Data($0).base64EncodedString() })
      }
    default: return nil
    }
  }

  /// Base names to contents as Helm's `toYAML` prints them (sorted, no final newline).
  private static func yamlMap(_ files: [String: [UInt8]], _ text: ([UInt8]) -> String) -> String {
    guard !files.isEmpty else { return "" }
    var map = ValueTable()
    for (path, data) in files {
      map[String(path.split(separator: "/").last ?? "")] = .string(text(data))
    }
    var yaml = YAML.dump(.object(map), sortKeys: true)
    if yaml.hasSuffix("\n") { yaml.removeLast() }
    return yaml
  }

  private static func string(_ value: TemplateValue) throws -> String {
    guard case .string(let string) = value else {
      throw TemplateFunctionError("wrong type for value; expected string; got \(value.goTypeName)")
    }
    return string
  }

  var printed: String {
    "map["
      + files.keys.sorted().map { key in
        "\(key):[" + files[key]!.map(String.init).joined(separator: " ") + "]"
      }.joined(separator: " ") + "]"
  }
}
