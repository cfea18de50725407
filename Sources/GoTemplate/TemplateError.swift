/// Errors from parsing or executing templates, worded as Go's `text/template` words them so that
/// Helm users recognise them.
public enum TemplateError: Error, CustomStringConvertible, Equatable {
  /// The source of template file `name` is wrong at `line`; fix the template text there.
  case parse(name: String, line: Int, message: String)
  /// Execution of template `template` failed at a node: `location` is `file:line:column`
  /// (column counted in bytes from 0, as Go does) and `context` the node's text.
  case execution(template: String, location: String, context: String, message: String)
  /// Execution of template `template` failed before reaching any node.
  case executionWithoutNode(template: String, message: String)
  /// No template called `name` was parsed into the set.
  case noSuchTemplate(name: String, setName: String)

  public var description: String {
    switch self {
    case .parse(let name, let line, let message):
      return "template: \(name):\(line): \(message)"
    case .execution(let template, let location, let context, let message):
      return "template: \(location): executing \(goQuote(template)) at <\(context)>: \(message)"
    case .executionWithoutNode(let template, let message):
      return "template: \(template): \(message)"
    case .noSuchTemplate(let name, let setName):
      return "template: no template \(goQuote(name)) associated with template \(goQuote(setName))"
    }
  }
}
