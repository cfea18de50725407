/// A function callable from templates, like an entry in Go's `template.FuncMap`.
///
/// It receives its evaluated arguments (a missing value arrives as `.null`, as a Go `interface{}`
/// parameter would) and a context through which it can execute templates of the running set,
/// which Helm's `include` and `tpl` need. A thrown error stops execution with
/// `error calling NAME: <error>`.
public struct TemplateFunction: Sendable {
  /// How many arguments a function takes; checked before the call, as Go checks signatures.
  public enum Arity: Sendable, Equatable {
    /// Exactly this many arguments.
    case exactly(Int)
    /// At least this many (a Go variadic function with this many fixed parameters).
    case atLeast(Int)
  }

  /// The function body.
  public typealias Body =
    @Sendable (_ arguments: [TemplateValue], _ context: FunctionContext) throws -> TemplateValue

  /// The accepted argument count.
  public let arity: Arity
  let body: Body

  /// Creates a function with the given arity.
  public init(arity: Arity = .atLeast(0), _ body: @escaping Body) {
    self.arity = arity
    self.body = body
  }
}

/// What a function may do with the template set that is executing it.
///
/// Valid only during the call that received it.
public final class FunctionContext {
  unowned let executor: Executor

  init(executor: Executor) {
    self.executor = executor
  }

  /// Executes the named template of the running set with `data` as dot and returns its output
  /// (Helm's `include`).
  public func executeTemplate(named name: String, data: TemplateValue) throws -> String {
    try executor.executeNested(named: name, data: data)
  }

  /// Parses `source` as a template named `name` into (a copy of) the running set and executes
  /// it with `data` as dot (Helm's `tpl`). Templates it defines are visible to it, and templates
  /// of the running set are visible to it, but it leaves the running set unchanged.
  public func parseAndExecute(source: String, name: String, data: TemplateValue) throws -> String {
    try executor.parseAndExecute(source: source, name: name, data: data)
  }

  /// The name of the template being executed (a `define`d name inside a `template` call).
  public var templateName: String { executor.currentTemplateName }

  /// True when the running set has a template with this name.
  public func hasTemplate(named name: String) -> Bool {
    executor.set.templates[name] != nil
  }
}
