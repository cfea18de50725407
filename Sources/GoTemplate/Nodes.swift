/// The parse tree, shaped like Go's `text/template/parse` nodes so that execution errors can
/// name the same node (`at <.Values.x.y>`) at the same position Go names.
///
/// Nodes are immutable once parsed; positions are byte offsets into the source of the template
/// that holds them.
protocol ParseNode: AnyObject, CustomStringConvertible, Sendable {
  var position: Int { get }
}

/// A sequence of nodes: a template body, or the body of a control structure.
final class ListNode: ParseNode {
  let position: Int
  let nodes: [StatementNode]
  init(position: Int, nodes: [StatementNode]) {
    self.position = position
    self.nodes = nodes
  }
  var description: String { nodes.map(\.node.description).joined() }
}

/// One element of a list.
enum StatementNode: Sendable {
  case text(TextNode)
  case action(ActionNode)
  case ifNode(BranchNode)
  case rangeNode(BranchNode)
  case withNode(BranchNode)
  case template(TemplateCallNode)
  case breakNode(LoopControlNode)
  case continueNode(LoopControlNode)

  var node: any ParseNode {
    switch self {
    case .text(let node): return node
    case .action(let node): return node
    case .ifNode(let node), .rangeNode(let node), .withNode(let node): return node
    case .template(let node): return node
    case .breakNode(let node), .continueNode(let node): return node
    }
  }
}

/// Plain text between actions.
final class TextNode: ParseNode {
  let position: Int
  let text: String
  let isBlank: Bool
  init(position: Int, text: String) {
    self.position = position
    self.text = text
    self.isBlank = text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
  }
  var description: String { text }
}

/// `{{pipeline}}`: prints the value unless the pipeline declares variables.
final class ActionNode: ParseNode {
  let position: Int
  let pipe: PipeNode
  init(position: Int, pipe: PipeNode) {
    self.position = position
    self.pipe = pipe
  }
  var description: String { "{{\(pipe)}}" }
}

/// `if`, `range` and `with`, which share a shape.
final class BranchNode: ParseNode {
  enum Kind: String, Sendable {
    case ifBranch = "if"
    case rangeBranch = "range"
    case withBranch = "with"
  }
  let kind: Kind
  let position: Int
  let pipe: PipeNode
  let list: ListNode
  let elseList: ListNode?
  init(kind: Kind, position: Int, pipe: PipeNode, list: ListNode, elseList: ListNode?) {
    self.kind = kind
    self.position = position
    self.pipe = pipe
    self.list = list
    self.elseList = elseList
  }
  var description: String {
    if let elseList { return "{{\(kind.rawValue) \(pipe)}}\(list){{else}}\(elseList){{end}}" }
    return "{{\(kind.rawValue) \(pipe)}}\(list){{end}}"
  }
}

/// `{{template "name" pipeline}}`, also the invocation half of `{{block}}`.
final class TemplateCallNode: ParseNode {
  let position: Int
  let name: String
  let pipe: PipeNode?
  init(position: Int, name: String, pipe: PipeNode?) {
    self.position = position
    self.name = name
    self.pipe = pipe
  }
  var description: String {
    if let pipe { return "{{template \(goQuote(name)) \(pipe)}}" }
    return "{{template \(goQuote(name))}}"
  }
}

/// `{{break}}` or `{{continue}}`.
final class LoopControlNode: ParseNode {
  let position: Int
  let isBreak: Bool
  init(position: Int, isBreak: Bool) {
    self.position = position
    self.isBreak = isBreak
  }
  var description: String { isBreak ? "{{break}}" : "{{continue}}" }
}

/// A pipeline with optional variable declarations or assignments: `$x := a | b c`.
final class PipeNode: ParseNode {
  let position: Int
  let isAssign: Bool
  let declarations: [VariableNode]
  let commands: [CommandNode]
  init(position: Int, isAssign: Bool, declarations: [VariableNode], commands: [CommandNode]) {
    self.position = position
    self.isAssign = isAssign
    self.declarations = declarations
    self.commands = commands
  }
  var description: String {
    var text = ""
    if !declarations.isEmpty {
      text = declarations.map(\.description).joined(separator: ", ")
      // Go writes ":=" for assignments too.
      text += " := "
    }
    return text + commands.map(\.description).joined(separator: " | ")
  }
}

/// One command of a pipeline: an operand followed by arguments.
final class CommandNode: ParseNode {
  let position: Int
  let arguments: [Operand]
  init(position: Int, arguments: [Operand]) {
    self.position = position
    self.arguments = arguments
  }
  var description: String {
    arguments.map { operand in
      if case .pipe(let pipe) = operand { return "(\(pipe))" }
      return operand.node.description
    }.joined(separator: " ")
  }
}

/// An operand: a term of a command.
enum Operand: Sendable {
  case field(FieldNode)
  case chain(ChainNode)
  case identifier(IdentifierNode)
  case variable(VariableNode)
  case pipe(PipeNode)
  case literal(LiteralNode)

  var node: any ParseNode {
    switch self {
    case .field(let node): return node
    case .chain(let node): return node
    case .identifier(let node): return node
    case .variable(let node): return node
    case .pipe(let node): return node
    case .literal(let node): return node
    }
  }

  /// Whether this operand cannot start a later pipeline stage (Go's "non executable command").
  var isNonExecutable: Bool {
    if case .literal = self { return true }
    return false
  }
}

/// `.a.b.c`.
final class FieldNode: ParseNode {
  let position: Int
  let names: [String]
  init(position: Int, names: [String]) {
    self.position = position
    self.names = names
  }
  var description: String { names.map { "." + $0 }.joined() }
}

/// `(pipeline).a.b`: fields applied to a term that is not a field or variable.
final class ChainNode: ParseNode {
  let position: Int
  let base: Operand
  let names: [String]
  init(position: Int, base: Operand, names: [String]) {
    self.position = position
    self.base = base
    self.names = names
  }
  var description: String {
    let baseText: String
    if case .pipe(let pipe) = base {
      baseText = "(\(pipe))"
    } else {
      baseText = base.node.description
    }
    return baseText + names.map { "." + $0 }.joined()
  }
}

/// A function name.
final class IdentifierNode: ParseNode {
  let position: Int
  let name: String
  init(position: Int, name: String) {
    self.position = position
    self.name = name
  }
  var description: String { name }
}

/// `$`, `$x` or `$x.a.b`.
final class VariableNode: ParseNode {
  let position: Int
  let names: [String]
  init(position: Int, names: [String]) {
    self.position = position
    self.names = names
  }
  var description: String { names.joined(separator: ".") }
}

/// `.`, `nil`, a boolean, a number, or a string.
final class LiteralNode: ParseNode {
  enum Kind: Sendable {
    case dot
    case nilValue
    /// A constant with its value in an untyped context (Go's `idealConstant`), or nil when
    /// that value overflows int, which is an error only if it is evaluated.
    case constant(TemplateValue?)
  }
  let position: Int
  let kind: Kind
  /// The source text (strings keep their quotes, numbers their spelling).
  let text: String
  init(position: Int, kind: Kind, text: String) {
    self.position = position
    self.kind = kind
    self.text = text
  }
  var description: String { text }
}
