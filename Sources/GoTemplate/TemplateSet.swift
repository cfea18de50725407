/// What a field lookup on a map does when the key is absent (Go's `missingkey` option).
public enum MissingKeyBehavior: Sendable, Equatable {
  /// `missingkey=default` (or `invalid`): the result is "no value", printed as `<no value>`.
  case `default`
  /// `missingkey=zero`: the zero value of the map's element type, which for
  /// `map[string]interface{}` is a nil interface (what Helm uses).
  case zero
  /// `missingkey=error`: execution stops with `map has no entry for key "name"`.
  case error
}

/// Options of a template set.
public struct TemplateOptions: Sendable {
  /// Behaviour on missing map keys.
  public var missingKey: MissingKeyBehavior
  /// The action delimiters, `{{` and `}}` by default.
  public var leftDelimiter: String
  /// The closing action delimiter.
  public var rightDelimiter: String
  /// How deeply templates may invoke templates (`template`, `include`, `tpl`) before execution
  /// stops with "exceeded maximum template depth". Go allows 100000 on its growable stacks;
  /// Swift's fixed thread stacks need a smaller bound.
  public var maximumDepth: Int

  /// Creates options; the defaults are Go's.
  public init(
    missingKey: MissingKeyBehavior = .default, leftDelimiter: String = "{{",
    rightDelimiter: String = "}}", maximumDepth: Int = 1000
  ) {
    self.missingKey = missingKey
    self.leftDelimiter = leftDelimiter
    self.rightDelimiter = rightDelimiter
    self.maximumDepth = maximumDepth
  }
}

/// A set of named templates that can invoke each other, like a Go `*template.Template` with its
/// associated templates: parse many files into it, then execute any template by name.
///
/// `{{define}}`s from every file are visible to all; a later definition of a name replaces an
/// earlier one (an empty body never replaces a non-empty one), as with Go's `Parse`.
///
/// ```swift
/// var set = TemplateSet(name: "gotpl", functions: ["include": include])
/// try set.parse(name: "_helpers.tpl", source: helpers)
/// try set.parse(name: "deployment.yaml", source: deployment)
/// let yaml = try set.execute(name: "deployment.yaml", data: ["Values": values])
/// ```
///
/// The language is Go's `text/template` as of Go 1.24, with these differences: complex number
/// constants are rejected at parse time; ranging over channels and iterator functions does not
/// apply (there are no such values); template recursion stops at `TemplateOptions.maximumDepth`
/// (1000) rather than Go's 100000.
public struct TemplateSet: Sendable {
  /// The set's own name, used in the "no template associated" message.
  public var name: String
  /// Functions callable from templates, in addition to (and taking precedence over) the
  /// built-ins. Names are checked at parse time, so add functions before parsing.
  public var functions: [String: TemplateFunction]
  /// Execution and parsing options.
  public var options: TemplateOptions
  var templates: [String: ParsedTemplate] = [:]

  /// Creates an empty set.
  public init(
    name: String = "", functions: [String: TemplateFunction] = [:],
    options: TemplateOptions = TemplateOptions()
  ) {
    self.name = name
    self.functions = functions
    self.options = options
  }

  /// The names of all templates in the set, sorted.
  public var templateNames: [String] { templates.keys.sorted() }

  /// Whether the set holds a template with this name.
  public func hasTemplate(named name: String) -> Bool { templates[name] != nil }

  /// Parses `source` as the template `name` and adds it and its `define`/`block` templates to
  /// the set. On error the set is unchanged.
  public mutating func parse(name: String, source: String) throws {
    let functions = self.functions
    var parser = Parser(
      name: name, text: source, leftDelim: options.leftDelimiter,
      rightDelim: options.rightDelimiter,
      isFunction: { functions[$0] != nil || Builtin(rawValue: $0) != nil })
    try parser.parse()
    for template in parser.templates {
      if let existing = templates[template.name], template.isEmpty, !existing.isEmpty { continue }
      templates[template.name] = template
    }
  }

  /// Executes the template `name` with `data` as dot and returns its output.
  public func execute(name templateName: String, data: TemplateValue) throws -> String {
    guard let template = templates[templateName] else {
      throw TemplateError.noSuchTemplate(name: templateName, setName: name)
    }
    return try Executor(set: self, template: template, depth: 0).run(data: data)
  }
}
