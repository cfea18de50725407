import Foundation
import GoTemplate
import YAML

/// Renders a chart's templates in process, as Helm's engine does: every template of the chart
/// and its subcharts parsed into one set (deepest paths first, so a parent's `define`s win),
/// each non-partial template executed with its chart's scope (`.Values` of that chart,
/// `.Chart`, `.Files`, `.Release`, `.Capabilities`, `.Template`, `.Subcharts`), missing keys
/// printing nothing.
///
/// Maps are shared as in Helm: the templates of one chart get the same scope map (so the same
/// `.Values`), a subchart's `.Values` is its entry in the parent's, and `.Subcharts` holds the
/// subcharts' scopes. A template that changes them (`set .Values "x" 1`) is seen by the
/// templates rendered after it. Each render builds its own tree, so concurrent renders do not
/// see each other's changes.
public struct TemplateEngine: Sendable {
  /// The functions templates may call.
  public var functions: [String: TemplateFunction]

  /// Creates an engine with Helm's functions over `base` (see `HelmFunctions.base`).
  public init(base: [String: TemplateFunction] = HelmFunctions.base) {
    functions = HelmFunctions.all(base: base)
  }

  /// One rendered template.
  public struct RenderedTemplate: Sendable, Equatable {
    /// The template's path, `chart/templates/x.yaml` or `chart/charts/sub/templates/y.yaml`.
    public var name: String
    /// The output text.
    public var text: String
  }

  private struct Scoped {
    var name: String
    var source: String
    /// The chart's scope, one map shared by the chart's templates (as Helm's `next` map is).
    var scope: TemplateMap
    var basePath: String
  }

  /// Renders `chart` (already processed by `ChartDependencies.process`) with `values` (already
  /// coalesced): every non-partial template, executed in Helm's order and returned sorted by
  /// name.
  public func render(chart: Chart, values: ValueTable, options: ReleaseOptions) throws(HelmError)
    -> [RenderedTemplate]
  {
    let release: TemplateValue = .map([
      "Name": .string(options.name), "Namespace": .string(options.namespace),
      "IsUpgrade": .bool(options.isUpgrade), "IsInstall": .bool(options.isInstall),
      "Revision": .int(options.revision), "Service": "Helm",
    ])
    let capabilities = TemplateValue.object(CapabilitiesObject(capabilities: options.capabilities))
    var templates: [Scoped] = []
    _ = collect(
      chart, isRoot: true, parentValues: TemplateValue(json: .object(values)), release: release,
      capabilities: capabilities, into: &templates)

    var set = TemplateSet(
      name: "gotpl", functions: functions, options: TemplateOptions(missingKey: .zero))
    // Helm parses and executes in one order (deeper paths first, then reverse lexical order);
    // the execution order shows when templates change the maps they share.
    let ordered = templates.sorted(by: { Self.parsesBefore($0.name, $1.name) })
    for template in ordered {
      do {
        try set.parse(name: template.name, source: template.source)
      } catch let error as TemplateError {
        throw Self.parseError(error, file: template.name)
      } catch {
        throw .parse(location: template.name, message: "\(error)")
      }
    }
    var rendered: [RenderedTemplate] = []
    for template in ordered
    where !(template.name.split(separator: "/").last ?? "").hasPrefix("_") {
      // Helm sets `.Template` in the shared scope map itself before each execution.
      template.scope["Template"] = .map([
        "Name": .string(template.name), "BasePath": .string(template.basePath),
      ])
      do {
        let text = try set.execute(name: template.name, data: .map(template.scope))
        rendered.append(
          RenderedTemplate(name: template.name, text: text.replacingAll("<no value>", with: "")))
      } catch {
        throw Self.executionError(error, file: template.name)
      }
    }
    return rendered.sorted { $0.name < $1.name }
  }

  /// Gathers the chart's templates with their scope; returns the chart's scope (for the
  /// parent's `.Subcharts`).
  private func collect(
    _ chart: Chart, isRoot: Bool, parentValues: TemplateValue, release: TemplateValue,
    capabilities: TemplateValue, into templates: inout [Scoped]
  ) -> TemplateMap {
    // The subchart's `.Values` is the parent's map entry itself, so changes show both ways.
    var values: TemplateValue = .map([:])
    if isRoot {
      values = parentValues
    } else if case .map(let parent) = parentValues, case .map(let own)? = parent[chart.name] {
      values = .map(own)
    }
    var subcharts: [String: TemplateValue] = [:]
    for dependency in chart.dependencies {
      subcharts[dependency.name] = .map(
        collect(
          dependency, isRoot: false, parentValues: values, release: release,
          capabilities: capabilities, into: &templates))
    }
    let scope: TemplateMap = [
      "Chart": Self.chartValue(chart.metadata, isRoot: isRoot),
      "Files": .object(FilesObject(chart: chart)),
      "Release": release,
      "Capabilities": capabilities,
      "Values": values,
      "Subcharts": .map(TemplateMap(subcharts)),
    ]
    for template in chart.templates {
      if chart.isLibrary && !(template.name.split(separator: "/").last ?? "").hasPrefix("_") {
        continue
      }
      templates.append(
        Scoped(
          name: chart.fullPath + "/" + template.name, source: template.text, scope: scope,
          basePath: chart.fullPath + "/templates"))
    }
    return scope
  }

  /// `.Chart`: Helm 4 hands templates the metadata as a map with Go field names.
  static func chartValue(_ metadata: ChartMetadata, isRoot: Bool) -> TemplateValue {
    .map([
      "APIVersion": .string(metadata.apiVersion), "Name": .string(metadata.name),
      "Version": .string(metadata.version), "KubeVersion": .string(metadata.kubeVersion),
      "Description": .string(metadata.description), "Type": .string(metadata.type),
      "Keywords": .list(metadata.keywords.map { .string($0) }), "Home": .string(metadata.home),
      "Sources": .list(metadata.sources.map { .string($0) }),
      "Dependencies": .list(
        metadata.dependencies.map { dependency in
          .map([
            "Name": .string(dependency.name), "Version": .string(dependency.version),
            "Repository": .string(dependency.repository),
            "Condition": .string(dependency.condition),
            "Tags": .list(dependency.tags.map { .string($0) }),
            "Enabled": .bool(dependency.enabled),
            "ImportValues": .list(dependency.importValues.map(TemplateValue.init(json:))),
            "Alias": .string(dependency.alias),
          ])
        }),
      "Maintainers": .list(
        metadata.maintainers.map {
          .map(["Name": .string($0.name), "Email": .string($0.email), "URL": .string($0.url)])
        }),
      "Icon": .string(metadata.icon), "AppVersion": .string(metadata.appVersion),
      "Deprecated": .bool(metadata.deprecated),
      "Annotations": .map(TemplateMap(metadata.annotations.mapValues { .string($0) })),
      "Condition": .string(metadata.condition), "Tags": .string(metadata.tags),
      "IsRoot": .bool(isRoot),
    ])
  }

  /// Helm's parse and execution order: more `/` first, then reverse lexical order, so that a parent chart's
  /// definitions, parsed last, replace a subchart's of the same name.
  static func parsesBefore(_ a: String, _ b: String) -> Bool {
    let slashesA = a.utf8.count { $0 == UInt8(ascii: "/") }
    let slashesB = b.utf8.count { $0 == UInt8(ascii: "/") }
    if slashesA != slashesB { return slashesA > slashesB }
    return b < a
  }

  /// `parse error at (file:line): message`, as Helm's cleanupParseError shapes it.
  static func parseError(_ error: TemplateError, file: String) -> HelmError {
    let tokens = "\(error)".components(separatedBy: ": ")
    guard tokens.count > 1 else { return .parse(location: file, message: "\(error)") }
    return .parse(location: tokens[1], message: tokens[tokens.count - 1])
  }

  /// Helm's rendering of an execution error: `execution error at (file:line:col): message` for
  /// `required` and `fail`, otherwise the Go error chain one frame per block.
  static func executionError(_ error: any Error, file: String) -> HelmError {
    let text = "\(error)"
    guard let error = error as? TemplateError else { return .execution(text) }
    if case .execution = error,
      let start = text.range(of: HelmFunctions.failureStart),
      let end = text.range(of: HelmFunctions.failureEnd, options: .backwards),
      start.upperBound <= end.lowerBound
    {
      let tokens = text.components(separatedBy: ": ")
      return .execution(
        "execution error at (\(tokens[1])): \(text[start.upperBound..<end.lowerBound])")
    }
    return .execution(reformatChain(text) ?? text)
  }

  /// Helm 4's layout of an execution error chain: each level
  /// `template: f:1:2: executing "f" at <x>: MESSAGE` becomes `f:1:2\n  executing "f" at <x>:\n
  ///     MESSAGE`, a wrapped `error calling fn: ` error continuing on the next line. Helm keeps
  /// the original text when some wrapped error is not a template error (as `index`'s and
  /// `tpl`'s are not); so do we, by returning nil.
  static func reformatChain(_ text: String) -> String? {
    guard text.hasPrefix("template: "),
      let executing = text.range(of: ": executing \""),
      let at = text.range(of: "\" at <", range: executing.upperBound..<text.endIndex),
      let close = text.range(of: ">: ", range: at.upperBound..<text.endIndex)
    else { return nil }
    let location = text[text.index(text.startIndex, offsetBy: 10)..<executing.lowerBound]
    let name = text[executing.upperBound..<at.lowerBound]
    let context = text[at.upperBound..<close.lowerBound]
    let message = String(text[close.upperBound...])
    var output = "\(location)\n  executing \"\(name)\" at <\(context)>:\n"
    if message.hasPrefix("error calling "), let colon = message.range(of: ": ") {
      // Go wraps the function's error: Helm can only lay it out when it is a template error.
      let wrapped = String(message[colon.upperBound...])
      guard wrapped.hasPrefix("template: ") else { return nil }
      var rest = wrapped
      if wrapped.contains(": executing \"") {
        guard let nested = reformatChain(wrapped) else { return nil }
        rest = nested
      }
      output += "    " + message[..<colon.lowerBound] + ":\n" + rest
    } else {
      output += "    " + message
    }
    return output
  }
}
