/// The source of one parsed file, which error messages quote positions from.
final class TemplateSource: Sendable {
  /// The name the file was parsed under (Go's `ParseName`).
  let parseName: String
  let text: [UInt8]
  init(parseName: String, text: [UInt8]) {
    self.parseName = parseName
    self.text = text
  }

  /// `name:line:column` for a byte offset, as Go's `ErrorContext` computes it.
  func location(of position: Int) -> String {
    let end = min(position, text.count)
    var line = 1
    var lineStart = 0
    for index in 0..<end where text[index] == UInt8(ascii: "\n") {
      line += 1
      lineStart = index + 1
    }
    let column = lineStart == 0 ? end : end - lineStart
    return "\(parseName):\(line):\(column)"
  }
}

/// One named template: its body and the file it came from.
final class ParsedTemplate: Sendable {
  let name: String
  let root: ListNode
  let source: TemplateSource
  init(name: String, root: ListNode, source: TemplateSource) {
    self.name = name
    self.root = root
    self.source = source
  }

  /// Go's `IsEmptyTree`: only blank text (and comments, which are dropped).
  var isEmpty: Bool {
    root.nodes.allSatisfy { statement in
      if case .text(let text) = statement { return text.isBlank }
      return false
    }
  }
}

/// Builds parse trees from tokens with the grammar and error messages of Go's
/// `text/template/parse`.
struct Parser {
  private let tokens: [Token]
  private var index = 0
  private var furthest = 0
  private let source: TemplateSource
  private let isFunction: (String) -> Bool
  private var variables: [String] = ["$"]
  private var rangeDepth = 0
  private var actionLine = 0
  private var currentName: String
  /// Templates found in this file, in order: the file's own body and its `define`s and `block`s.
  private(set) var templates: [ParsedTemplate] = []

  init(
    name: String, text: String, leftDelim: String, rightDelim: String,
    isFunction: @escaping (String) -> Bool
  ) {
    let bytes = Array(text.utf8)
    var lexer = Lexer(input: bytes, leftDelim: leftDelim, rightDelim: rightDelim)
    self.tokens = lexer.tokenize()
    self.source = TemplateSource(parseName: name, text: bytes)
    self.isFunction = isFunction
    self.currentName = name
  }

  // MARK: - Token access

  private mutating func next() -> Token {
    let token = tokens[min(index, tokens.count - 1)]
    furthest = max(furthest, index)
    index += 1
    return token
  }

  private mutating func peek() -> Token {
    let token = tokens[min(index, tokens.count - 1)]
    furthest = max(furthest, index)
    return token
  }

  private mutating func backup(_ count: Int = 1) {
    index -= count
  }

  private mutating func nextNonSpace() -> Token {
    var token = next()
    while token.kind == .space { token = next() }
    return token
  }

  private mutating func peekNonSpace() -> Token {
    let token = nextNonSpace()
    backup()
    return token
  }

  // MARK: - Errors

  private func error(_ message: String) -> TemplateError {
    // Go reports the line of the most recently lexed token.
    let line = tokens[min(furthest, tokens.count - 1)].line
    return .parse(name: source.parseName, line: line, message: message)
  }

  private func unexpected(_ token: Token, _ context: String) -> TemplateError {
    if token.kind == .error {
      var extra = ""
      if actionLine != 0 && actionLine != token.line {
        extra = " in action started at \(source.parseName):\(actionLine)"
        if token.text.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
      }
      return .parse(name: source.parseName, line: token.line, message: "\(token)\(extra)")
    }
    return .parse(
      name: source.parseName, line: token.line, message: "unexpected \(token) in \(context)")
  }

  private mutating func expect(_ kind: TokenKind, _ context: String) throws -> Token {
    let token = nextNonSpace()
    if token.kind != kind { throw unexpected(token, context) }
    return token
  }

  // MARK: - Top level

  /// Parses the whole file.
  mutating func parse() throws {
    var nodes: [StatementNode] = []
    let rootPosition = peek().position
    while peek().kind != .eof {
      if peek().kind == .leftDelim {
        let saved = index
        _ = next()
        if nextNonSpace().kind == .define {
          try parseDefinition()
          continue
        }
        index = saved
      }
      switch try textOrAction() {
      case .statement(let node): nodes.append(node)
      case .end: throw error("unexpected {{end}}")
      case .elseNode: throw error("unexpected {{else}}")
      }
    }
    add(
      ParsedTemplate(
        name: currentName, root: ListNode(position: rootPosition, nodes: nodes), source: source))
  }

  /// Records a template, refusing a second non-empty definition within one parse as Go does.
  private mutating func add(_ template: ParsedTemplate) {
    if let existing = templates.firstIndex(where: { $0.name == template.name }) {
      if templates[existing].isEmpty { templates[existing] = template }
      return
    }
    templates.append(template)
  }

  private mutating func checkedAdd(_ template: ParsedTemplate) throws {
    if let existing = templates.first(where: { $0.name == template.name }), !existing.isEmpty,
      !template.isEmpty
    {
      throw error("template: multiple definition of template \(goQuote(template.name))")
    }
    add(template)
  }

  private mutating func parseDefinition() throws {
    let context = "define clause"
    let nameToken = nextNonSpace()
    guard nameToken.kind == .string || nameToken.kind == .rawString else {
      throw unexpected(nameToken, context)
    }
    let name: String
    do { name = try goUnquote(nameToken.text) } catch { throw self.error("invalid syntax") }
    _ = try expect(.rightDelim, context)
    let savedVariables = variables
    let savedRangeDepth = rangeDepth
    variables = ["$"]
    rangeDepth = 0
    let (list, end) = try itemList()
    if case .end = end {} else { throw error("unexpected \(end) in \(context)") }
    variables = savedVariables
    rangeDepth = savedRangeDepth
    try checkedAdd(ParsedTemplate(name: name, root: list, source: source))
  }

  private enum ListEnd: CustomStringConvertible {
    case end(position: Int)
    case elseNode(position: Int)
    var description: String {
      switch self {
      case .end: return "{{end}}"
      case .elseNode: return "{{else}}"
      }
    }
  }

  private enum Item {
    case statement(StatementNode)
    case end(position: Int)
    case elseNode(position: Int)
  }

  private mutating func itemList() throws -> (ListNode, ListEnd) {
    var nodes: [StatementNode] = []
    let position = peekNonSpace().position
    while peekNonSpace().kind != .eof {
      switch try textOrAction() {
      case .statement(let node): nodes.append(node)
      case .end(let endPosition):
        return (ListNode(position: position, nodes: nodes), .end(position: endPosition))
      case .elseNode(let elsePosition):
        return (ListNode(position: position, nodes: nodes), .elseNode(position: elsePosition))
      }
    }
    throw error("unexpected EOF")
  }

  private mutating func textOrAction() throws -> Item {
    let token = nextNonSpace()
    switch token.kind {
    case .text:
      return .statement(.text(TextNode(position: token.position, text: token.text)))
    case .leftDelim:
      actionLine = token.line
      defer { actionLine = 0 }
      return try action()
    default:
      throw unexpected(token, "input")
    }
  }

  private mutating func action() throws -> Item {
    let token = nextNonSpace()
    switch token.kind {
    case .block: return .statement(try blockControl())
    case .breakKeyword, .continueKeyword:
      let isBreak = token.kind == .breakKeyword
      let name = isBreak ? "{{break}}" : "{{continue}}"
      let closing = nextNonSpace()
      if closing.kind != .rightDelim { throw unexpected(closing, name) }
      if rangeDepth == 0 { throw error("\(name) outside {{range}}") }
      let node = LoopControlNode(position: token.position, isBreak: isBreak)
      return .statement(isBreak ? .breakNode(node) : .continueNode(node))
    case .elseKeyword:
      let peeked = peekNonSpace()
      if peeked.kind == .ifKeyword || peeked.kind == .with {
        return .elseNode(position: peeked.position)
      }
      let closing = try expect(.rightDelim, "else")
      return .elseNode(position: closing.position)
    case .end:
      let closing = try expect(.rightDelim, "end")
      return .end(position: closing.position)
    case .ifKeyword: return .statement(.ifNode(try parseControl(.ifBranch)))
    case .range: return .statement(.rangeNode(try parseControl(.rangeBranch)))
    case .with: return .statement(.withNode(try parseControl(.withBranch)))
    case .template: return .statement(try templateControl())
    default:
      backup()
      let start = peek()
      // Variables declared here are not popped: they live until the enclosing {{end}}.
      let pipe = try pipeline("command", end: .rightDelim)
      return .statement(.action(ActionNode(position: start.position, pipe: pipe)))
    }
  }

  private mutating func parseControl(_ kind: BranchNode.Kind) throws -> BranchNode {
    let context = kind.rawValue
    let savedVariables = variables.count
    defer { variables.removeLast(variables.count - savedVariables) }
    let pipe = try pipeline(context, end: .rightDelim)
    if kind == .rangeBranch { rangeDepth += 1 }
    let (list, listEnd) = try itemList()
    if kind == .rangeBranch { rangeDepth -= 1 }
    var elseList: ListNode?
    if case .elseNode(let elsePosition) = listEnd {
      // "{{else if x}}" and "{{else with x}}" nest a new if/with in the else branch whose
      // {{end}} also ends this one.
      if kind == .ifBranch && peek().kind == .ifKeyword {
        _ = next()
        elseList = ListNode(
          position: elsePosition, nodes: [.ifNode(try parseControl(.ifBranch))])
      } else if kind == .withBranch && peek().kind == .with {
        _ = next()
        elseList = ListNode(
          position: elsePosition, nodes: [.withNode(try parseControl(.withBranch))])
      } else {
        let (list, end) = try itemList()
        if case .end = end {} else { throw error("expected end; found \(end)") }
        elseList = list
      }
    }
    return BranchNode(
      kind: kind, position: pipe.position, pipe: pipe, list: list, elseList: elseList)
  }

  private mutating func templateName(_ token: Token, _ context: String) throws -> String {
    guard token.kind == .string || token.kind == .rawString else {
      throw unexpected(token, context)
    }
    do { return try goUnquote(token.text) } catch { throw self.error("invalid syntax") }
  }

  private mutating func templateControl() throws -> StatementNode {
    let context = "template clause"
    let token = nextNonSpace()
    let name = try templateName(token, context)
    var pipe: PipeNode?
    if nextNonSpace().kind != .rightDelim {
      backup()
      pipe = try pipeline(context, end: .rightDelim)
    }
    return .template(TemplateCallNode(position: token.position, name: name, pipe: pipe))
  }

  private mutating func blockControl() throws -> StatementNode {
    let context = "block clause"
    let token = nextNonSpace()
    let name = try templateName(token, context)
    let pipe = try pipeline(context, end: .rightDelim)
    let savedVariables = variables
    let savedRangeDepth = rangeDepth
    variables = ["$"]
    rangeDepth = 0
    let (list, end) = try itemList()
    if case .end = end {} else { throw error("unexpected \(end) in \(context)") }
    variables = savedVariables
    rangeDepth = savedRangeDepth
    try checkedAdd(ParsedTemplate(name: name, root: list, source: source))
    return .template(TemplateCallNode(position: token.position, name: name, pipe: pipe))
  }

  // MARK: - Pipelines

  private mutating func pipeline(_ context: String, end: TokenKind) throws -> PipeNode {
    let start = peekNonSpace()
    var declarations: [VariableNode] = []
    var isAssign = false
    declarations: while true {
      let variable = peekNonSpace()
      guard variable.kind == .variable else { break }
      let variableIndex = index
      _ = nextNonSpace()
      let tokenAfterVariable = peek()
      let following = peekNonSpace()
      if following.kind == .assign || following.kind == .declare {
        isAssign = following.kind == .assign
        _ = nextNonSpace()
        declarations.append(VariableNode(position: variable.position, names: [variable.text]))
        variables.append(variable.text)
      } else if following.kind == .char && following.text == "," {
        _ = nextNonSpace()
        declarations.append(VariableNode(position: variable.position, names: [variable.text]))
        variables.append(variable.text)
        if context == "range" && declarations.count < 2 {
          switch peekNonSpace().kind {
          case .variable, .rightDelim, .rightParen:
            continue declarations
          default:
            throw error("range can only initialize variables")
          }
        }
        throw error("too many declarations in \(context)")
      } else {
        // "$x foo": $x is an argument, not a declaration; put the tokens back.
        _ = tokenAfterVariable
        index = variableIndex
      }
      break
    }
    var commands: [CommandNode] = []
    while true {
      let token = nextNonSpace()
      switch token.kind {
      case end:
        if commands.isEmpty { throw error("missing value for \(context)") }
        for (offset, command) in commands.enumerated().dropFirst()
        where command.arguments[0].isNonExecutable {
          throw error("non executable command in pipeline stage \(offset + 1)")
        }
        return PipeNode(
          position: start.position, isAssign: isAssign, declarations: declarations,
          commands: commands)
      case .bool, .charConstant, .dot, .field, .identifier, .number, .nilKeyword, .rawString,
        .string, .variable, .leftParen:
        backup()
        commands.append(try command())
      default:
        throw unexpected(token, context)
      }
    }
  }

  private mutating func command() throws -> CommandNode {
    let position = peekNonSpace().position
    var arguments: [Operand] = []
    loop: while true {
      _ = peekNonSpace()
      if let operand = try operand() { arguments.append(operand) }
      let token = next()
      switch token.kind {
      case .space:
        continue loop
      case .rightDelim, .rightParen:
        backup()
      case .pipe:
        break
      default:
        throw unexpected(token, "operand")
      }
      break loop
    }
    if arguments.isEmpty { throw error("empty command") }
    return CommandNode(position: position, arguments: arguments)
  }

  private mutating func operand() throws -> Operand? {
    guard let term = try term() else { return nil }
    guard peek().kind == .field else { return term }
    let chainPosition = peek().position
    var names: [String] = []
    while peek().kind == .field { names.append(String(next().text.dropFirst())) }
    switch term {
    case .field(let field):
      return .field(FieldNode(position: chainPosition, names: field.names + names))
    case .variable(let variable):
      return .variable(VariableNode(position: chainPosition, names: variable.names + names))
    case .literal(let literal):
      throw error("unexpected . after term \(goQuote(literal.text))")
    default:
      return .chain(ChainNode(position: chainPosition, base: term, names: names))
    }
  }

  private mutating func term() throws -> Operand? {
    let token = nextNonSpace()
    switch token.kind {
    case .identifier:
      if !isFunction(token.text) { throw error("function \(goQuote(token.text)) not defined") }
      return .identifier(IdentifierNode(position: token.position, name: token.text))
    case .dot:
      return .literal(LiteralNode(position: token.position, kind: .dot, text: "."))
    case .nilKeyword:
      return .literal(LiteralNode(position: token.position, kind: .nilValue, text: "nil"))
    case .variable:
      let name = token.text
      guard variables.contains(name) else { throw error("undefined variable \(goQuote(name))") }
      return .variable(VariableNode(position: token.position, names: [name]))
    case .field:
      return .field(FieldNode(position: token.position, names: [String(token.text.dropFirst())]))
    case .bool:
      return .literal(
        LiteralNode(
          position: token.position, kind: .constant(.bool(token.text == "true")), text: token.text))
    case .charConstant, .number:
      let value: TemplateValue?
      do {
        value = try parseNumber(token.text, isChar: token.kind == .charConstant)
      } catch let failure as NumberSyntaxError {
        throw error(failure.message)
      }
      return .literal(
        LiteralNode(position: token.position, kind: .constant(value), text: token.text))
    case .leftParen:
      return .pipe(try pipeline("parenthesized pipeline", end: .rightParen))
    case .string, .rawString:
      let text: String
      do { text = try goUnquote(token.text) } catch { throw self.error("invalid syntax") }
      return .literal(
        LiteralNode(position: token.position, kind: .constant(.string(text)), text: token.text))
    default:
      backup()
      return nil
    }
  }
}
