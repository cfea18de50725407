/// Runs parse trees against data with the semantics of Go's `text/template` executor (`exec.go`):
/// variable scoping, field chains, function calls, control structures and Go's error messages.
///
/// One executor serves one top-level `execute` call; nested executions (`include`, `tpl`) reuse it
/// with their own output buffer.
final class Executor {
  let set: TemplateSet
  private var output = ""
  private var variables: [Variable] = []
  private var currentNode: (any ParseNode)?
  private var template: ParsedTemplate
  private var depth: Int
  private lazy var functionContext = FunctionContext(executor: self)

  /// A variable's value; `boxed` records that the value was read out of a list or map, whose
  /// element type is Go's `interface {}`, which Go names in some error messages.
  private struct Variable {
    let name: String
    var value: TemplateValue
    var boxed: Bool
  }

  /// What a walked list asks of the enclosing range.
  private enum Flow {
    case normal
    case breakLoop
    case continueLoop
  }

  init(set: TemplateSet, template: ParsedTemplate, depth: Int) {
    self.set = set
    self.template = template
    self.depth = depth
  }

  var currentTemplateName: String { template.name }

  /// Executes the executor's template with `data` as dot and `$`.
  func run(data: TemplateValue) throws -> String {
    let dot: TemplateValue = data.isNil ? .missing : data
    variables = [Variable(name: "$", value: dot, boxed: false)]
    _ = try walk(template.root, dot: dot, boxed: false)
    return output
  }

  // MARK: - Errors

  private func at(_ node: any ParseNode) {
    currentNode = node
  }

  /// An execution error at the current node, worded as Go words it.
  func error(_ message: String) -> TemplateError {
    guard let currentNode else {
      return .executionWithoutNode(template: template.name, message: message)
    }
    return .execution(
      template: template.name, location: template.source.location(of: currentNode.position),
      context: currentNode.description, message: message)
  }

  // MARK: - Nested execution for functions

  func executeNested(named name: String, data: TemplateValue) throws -> String {
    guard let target = set.templates[name] else {
      throw TemplateError.noSuchTemplate(name: name, setName: set.name)
    }
    if depth >= set.options.maximumDepth {
      throw error("exceeded maximum template depth (\(set.options.maximumDepth))")
    }
    let nested = Executor(set: set, template: target, depth: depth + 1)
    return try nested.run(data: data)
  }

  func parseAndExecute(source: String, name: String, data: TemplateValue) throws -> String {
    if depth >= set.options.maximumDepth {
      throw error("exceeded maximum template depth (\(set.options.maximumDepth))")
    }
    var extended = set
    try extended.parse(name: name, source: source)
    guard let target = extended.templates[name] else {
      throw TemplateError.noSuchTemplate(name: name, setName: set.name)
    }
    let nested = Executor(set: extended, template: target, depth: depth + 1)
    return try nested.run(data: data)
  }

  // MARK: - Walking

  private func walk(_ list: ListNode, dot: TemplateValue, boxed: Bool) throws -> Flow {
    for statement in list.nodes {
      let flow = try walk(statement, dot: dot, boxed: boxed)
      if flow != .normal { return flow }
    }
    return .normal
  }

  private func walk(_ statement: StatementNode, dot: TemplateValue, boxed: Bool) throws -> Flow {
    switch statement {
    case .text(let node):
      output.append(node.text)
    case .action(let node):
      at(node)
      // Variables declared by an action persist until the enclosing {{end}}.
      let value = try evalPipeline(node.pipe, dot: dot, boxed: boxed)
      if node.pipe.declarations.isEmpty { try printValue(node, value) }
    case .ifNode(let node), .withNode(let node):
      at(node)
      let mark = variables.count
      defer { variables.removeSubrange(mark...) }
      let value = try evalPipeline(node.pipe, dot: dot, boxed: boxed)
      if value.isTruthy {
        if node.kind == .withBranch {
          return try walk(node.list, dot: value, boxed: false)
        }
        return try walk(node.list, dot: dot, boxed: boxed)
      } else if let elseList = node.elseList {
        return try walk(elseList, dot: dot, boxed: boxed)
      }
    case .rangeNode(let node):
      return try walkRange(node, dot: dot, boxed: boxed)
    case .template(let node):
      try walkTemplate(node, dot: dot, boxed: boxed)
    case .breakNode:
      return .breakLoop
    case .continueNode:
      return .continueLoop
    }
    return .normal
  }

  private func walkRange(_ node: BranchNode, dot: TemplateValue, boxed: Bool) throws -> Flow {
    at(node)
    let outerMark = variables.count
    defer { variables.removeSubrange(outerMark...) }
    let value = try evalPipeline(node.pipe, dot: dot, boxed: boxed)
    let mark = variables.count
    let declarations = node.pipe.declarations

    // Returns false when the body asked to break.
    func iterate(index: TemplateValue, element: TemplateValue, elementBoxed: Bool) throws -> Bool {
      if !declarations.isEmpty {
        if node.pipe.isAssign {
          if declarations.count > 1 {
            try setVariable(declarations[0].names[0], index, boxed: false)
            try setVariable(declarations[1].names[0], element, boxed: elementBoxed)
          } else {
            try setVariable(declarations[0].names[0], element, boxed: elementBoxed)
          }
        } else {
          variables[mark - 1].value = element
          variables[mark - 1].boxed = elementBoxed
          if declarations.count > 1 {
            variables[mark - 2].value = index
            variables[mark - 2].boxed = false
          }
        }
      }
      let flow = try walk(node.list, dot: element, boxed: elementBoxed)
      variables.removeSubrange(mark...)
      return flow != .breakLoop
    }

    var ran = false
    switch value {
    case .list(let list):
      for (index, element) in list.enumerated() {
        ran = true
        if try !iterate(index: .int(index), element: element, elementBoxed: true) { break }
      }
    case .map(let reference):
      // Go's fmtsort takes the keys and values before the first iteration: changes the body
      // makes to the map do not show in this range.
      let map = reference.entries
      for key in sortedKeys(map) {
        ran = true
        if try !iterate(index: .string(key), element: map[key]!, elementBoxed: true) { break }
      }
    case .int, .uint:
      if declarations.count > 1 {
        throw error("can't use \(GoFormatter.sprint(value)) to iterate over more than one variable")
      }
      let count: UInt
      switch value {
      case .int(let int): count = int > 0 ? UInt(int) : 0
      case .uint(let uint): count = uint
      default: count = 0
      }
      var counter: UInt = 0
      while counter < count {
        ran = true
        let current: TemplateValue =
          if case .int = value { .int(Int(counter)) } else { .uint(counter) }
        if try !iterate(index: current, element: current, elementBoxed: false) { break }
        counter += 1
      }
    case .missing, .null:
      break
    default:
      throw error("range can't iterate over \(GoFormatter.sprint(value))")
    }
    if !ran, let elseList = node.elseList {
      return try walk(elseList, dot: dot, boxed: boxed)
    }
    return .normal
  }

  private func walkTemplate(_ node: TemplateCallNode, dot: TemplateValue, boxed: Bool) throws {
    at(node)
    guard let target = set.templates[node.name] else {
      throw error("template \(goQuote(node.name)) not defined")
    }
    if depth >= set.options.maximumDepth {
      throw error("exceeded maximum template depth (\(set.options.maximumDepth))")
    }
    var newDot = TemplateValue.missing
    if let pipe = node.pipe { newDot = try evalPipeline(pipe, dot: dot, boxed: boxed) }
    // No dynamic scoping: the called template sees only `$`, bound to its dot.
    let savedVariables = variables
    let savedTemplate = template
    variables = [Variable(name: "$", value: newDot, boxed: false)]
    template = target
    depth += 1
    defer {
      variables = savedVariables
      template = savedTemplate
      depth -= 1
    }
    _ = try walk(target.root, dot: newDot, boxed: false)
  }

  private func printValue(_ node: ActionNode, _ value: TemplateValue) throws {
    at(node)
    switch value {
    case .missing, .null:
      output.append("<no value>")
    case .string(let string):
      output.append(string)
    case .function:
      throw error("can't print \(node) of type \(value.goTypeName)")
    default:
      output.append(GoFormatter.sprint(value))
    }
  }

  // MARK: - Variables

  private func setVariable(_ name: String, _ value: TemplateValue, boxed: Bool) throws {
    var index = variables.count - 1
    while index >= 0 {
      if variables[index].name == name {
        variables[index].value = value
        variables[index].boxed = boxed
        return
      }
      index -= 1
    }
    throw error("undefined variable: \(name)")
  }

  private func variableValue(_ name: String) throws -> Variable {
    var index = variables.count - 1
    while index >= 0 {
      if variables[index].name == name { return variables[index] }
      index -= 1
    }
    throw error("undefined variable: \(name)")
  }

  // MARK: - Pipelines and commands

  func evalPipeline(_ pipe: PipeNode, dot: TemplateValue, boxed: Bool) throws -> TemplateValue {
    at(pipe)
    var value: TemplateValue? = nil
    for command in pipe.commands {
      var result = try evalCommand(command, dot: dot, boxed: boxed, final: value)
      // An interface{} holding nil becomes Go's invalid value ("lovely!" in exec.go).
      if case .null = result { result = .missing }
      value = result
    }
    let result = value ?? .missing
    for declaration in pipe.declarations {
      if pipe.isAssign {
        try setVariable(declaration.names[0], result, boxed: false)
      } else {
        variables.append(Variable(name: declaration.names[0], value: result, boxed: false))
      }
    }
    return result
  }

  private func notAFunction(_ arguments: [Operand], final: TemplateValue?) throws {
    if arguments.count > 1 || final != nil {
      throw error("can't give argument to non-function \(arguments[0].node)")
    }
  }

  private func evalCommand(
    _ command: CommandNode, dot: TemplateValue, boxed: Bool, final: TemplateValue?
  ) throws -> TemplateValue {
    let arguments = command.arguments
    switch arguments[0] {
    case .field(let field):
      return try evalFieldNode(field, dot: dot, boxed: boxed, arguments: arguments, final: final)
    case .chain(let chain):
      return try evalChainNode(chain, dot: dot, boxed: boxed, arguments: arguments, final: final)
    case .identifier(let identifier):
      return try evalFunction(
        identifier, command: command, dot: dot, boxed: boxed, arguments: arguments, final: final)
    case .pipe(let pipe):
      try notAFunction(arguments, final: final)
      return try evalPipeline(pipe, dot: dot, boxed: boxed)
    case .variable(let variable):
      return try evalVariableNode(
        variable, dot: dot, boxed: boxed, arguments: arguments, final: final)
    case .literal(let literal):
      at(literal)
      try notAFunction(arguments, final: final)
      switch literal.kind {
      case .dot: return dot
      case .nilValue: throw error("nil is not a command")
      case .constant(let value):
        guard let value else { throw error("\(literal.text) overflows int") }
        return value
      }
    }
  }

  private func evalFieldNode(
    _ field: FieldNode, dot: TemplateValue, boxed: Bool, arguments: [Operand]?,
    final: TemplateValue?
  ) throws -> TemplateValue {
    at(field)
    return try evalFieldChain(
      dot: dot, receiver: dot, receiverBoxed: boxed, node: field, names: field.names[...],
      arguments: arguments, final: final)
  }

  private func evalChainNode(
    _ chain: ChainNode, dot: TemplateValue, boxed: Bool, arguments: [Operand]?,
    final: TemplateValue?
  ) throws -> TemplateValue {
    at(chain)
    if case .literal(let literal) = chain.base, case .nilValue = literal.kind {
      throw error("indirection through explicit nil in \(chain)")
    }
    let base = try evalArgument(chain.base, dot: dot, boxed: boxed)
    return try evalFieldChain(
      dot: dot, receiver: base, receiverBoxed: false, node: chain, names: chain.names[...],
      arguments: arguments, final: final)
  }

  private func evalVariableNode(
    _ variable: VariableNode, dot: TemplateValue, boxed: Bool, arguments: [Operand]?,
    final: TemplateValue?
  ) throws -> TemplateValue {
    at(variable)
    let value = try variableValue(variable.names[0])
    if variable.names.count == 1 {
      if let arguments { try notAFunction(arguments, final: final) }
      return value.value
    }
    return try evalFieldChain(
      dot: dot, receiver: value.value, receiverBoxed: value.boxed, node: variable,
      names: variable.names[1...], arguments: arguments, final: final)
  }

  private func evalFieldChain(
    dot: TemplateValue, receiver: TemplateValue, receiverBoxed: Bool, node: any ParseNode,
    names: ArraySlice<String>, arguments: [Operand]?, final: TemplateValue?
  ) throws -> TemplateValue {
    var receiver = receiver
    var boxed = receiverBoxed
    for name in names.dropLast() {
      (receiver, boxed) = try evalField(
        dot: dot, name: name, node: node, arguments: nil, final: nil, receiver: receiver,
        receiverBoxed: boxed)
    }
    return try evalField(
      dot: dot, name: names.last!, node: node, arguments: arguments, final: final,
      receiver: receiver, receiverBoxed: boxed
    ).value
  }

  private func evalField(
    dot: TemplateValue, name: String, node: any ParseNode, arguments: [Operand]?,
    final: TemplateValue?, receiver: TemplateValue, receiverBoxed: Bool
  ) throws -> (value: TemplateValue, boxed: Bool) {
    let hasArguments = (arguments?.count ?? 0) > 1 || final != nil
    switch receiver {
    case .missing:
      if set.options.missingKey == .error {
        throw error("nil data; no entry for key \(goQuote(name))")
      }
      return (.missing, false)
    case .null:
      throw error("nil pointer evaluating interface {}.\(name)")
    case .object(let object):
      if let method = object.method(named: name) {
        let value = try evalCall(
          method, name: name, node: node, dot: dot, boxed: receiverBoxed,
          arguments: arguments.map { Array($0.dropFirst()) } ?? [], final: final)
        return (value, false)
      }
      if let field = object.field(named: name) {
        if hasArguments { throw error("\(name) has arguments but cannot be invoked as function") }
        return (field, false)
      }
    case .map(let map):
      if hasArguments { throw error("\(name) is not a method but has arguments") }
      if let value = map[name] { return (value, true) }
      switch set.options.missingKey {
      case .default: return (.missing, true)
      case .zero: return (.null, true)
      case .error: throw error("map has no entry for key \(goQuote(name))")
      }
    default:
      break
    }
    let typeName = receiverBoxed ? "interface {}" : receiver.goTypeName
    throw error("can't evaluate field \(name) in type \(typeName)")
  }

  // MARK: - Functions

  private func evalFunction(
    _ identifier: IdentifierNode, command: any ParseNode, dot: TemplateValue, boxed: Bool,
    arguments: [Operand]?, final: TemplateValue?
  ) throws -> TemplateValue {
    at(identifier)
    let name = identifier.name
    let rest = arguments.map { Array($0.dropFirst()) } ?? []
    if let function = set.functions[name] {
      return try evalCall(
        function, name: name, node: command, dot: dot, boxed: boxed, arguments: rest, final: final)
    }
    if let builtin = Builtin(rawValue: name) {
      return try evalBuiltin(
        builtin, node: command, dot: dot, boxed: boxed, arguments: rest, final: final)
    }
    throw error("\(goQuote(name)) is not a defined function")
  }

  private func checkArity(
    _ arity: TemplateFunction.Arity, name: String, argumentCount: Int, total: Int
  ) throws {
    switch arity {
    case .exactly(let count):
      if total != count {
        throw error("wrong number of args for \(name): want \(count) got \(total)")
      }
    case .atLeast(let count):
      if total < count {
        throw error("wrong number of args for \(name): want at least \(count) got \(argumentCount)")
      }
    }
  }

  private func evalCall(
    _ function: TemplateFunction, name: String, node: any ParseNode, dot: TemplateValue,
    boxed: Bool, arguments: [Operand], final: TemplateValue?
  ) throws -> TemplateValue {
    let total = arguments.count + (final == nil ? 0 : 1)
    try checkArity(function.arity, name: name, argumentCount: arguments.count, total: total)
    var values: [TemplateValue] = []
    values.reserveCapacity(total)
    for argument in arguments {
      values.append(try evalArgument(argument, dot: dot, boxed: boxed).asArgument)
    }
    if let final { values.append(final.asArgument) }
    do {
      return try function.body(values, functionContext)
    } catch {
      at(node)
      throw self.error("error calling \(name): \(error)")
    }
  }

  /// Evaluates a command argument in an `interface{}` context.
  func evalArgument(_ operand: Operand, dot: TemplateValue, boxed: Bool) throws -> TemplateValue {
    at(operand.node)
    switch operand {
    case .literal(let literal):
      switch literal.kind {
      case .dot: return dot
      case .nilValue: return .missing
      case .constant(let value):
        guard let value else { throw error("\(literal.text) overflows int") }
        return value
      }
    case .field(let field):
      return try evalFieldNode(field, dot: dot, boxed: boxed, arguments: [operand], final: nil)
    case .variable(let variable):
      return try evalVariableNode(variable, dot: dot, boxed: boxed, arguments: nil, final: nil)
    case .pipe(let pipe):
      return try evalPipeline(pipe, dot: dot, boxed: boxed)
    case .identifier(let identifier):
      return try evalFunction(
        identifier, command: identifier, dot: dot, boxed: boxed, arguments: nil, final: nil)
    case .chain(let chain):
      return try evalChainNode(chain, dot: dot, boxed: boxed, arguments: nil, final: nil)
    }
  }

  /// Evaluates an argument for a parameter of type string (printf's format), with Go's checks.
  private func evalStringArgument(_ operand: Operand, dot: TemplateValue, boxed: Bool) throws
    -> TemplateValue
  {
    if case .literal(let literal) = operand {
      at(literal)
      switch literal.kind {
      case .constant(.string(let string)): return .string(string)
      case .nilValue: throw error("cannot assign nil to string")
      case .constant: throw error("expected string; found \(literal.text)")
      case .dot: break
      }
    }
    let value = try evalArgument(operand, dot: dot, boxed: boxed)
    switch value {
    case .string: return value
    case .missing: throw error("invalid value; expected string")
    case .null: throw error("wrong type for value; expected string; got interface {}")
    default: throw error("wrong type for value; expected string; got \(value.goTypeName)")
    }
  }

  // MARK: - Built-ins

  private func evalBuiltin(
    _ builtin: Builtin, node: any ParseNode, dot: TemplateValue, boxed: Bool,
    arguments: [Operand], final: TemplateValue?
  ) throws -> TemplateValue {
    let name = builtin.rawValue
    let total = arguments.count + (final == nil ? 0 : 1)
    try checkArity(builtin.arity, name: name, argumentCount: arguments.count, total: total)
    // and/or evaluate lazily and return the deciding argument itself.
    if builtin == .and || builtin == .or {
      var value = TemplateValue.missing
      for argument in arguments {
        value = try evalArgument(argument, dot: dot, boxed: boxed)
        if value.isTruthy == (builtin == .or) { return value }
      }
      if let final { value = final }
      return value
    }
    var values: [TemplateValue] = []
    values.reserveCapacity(total + 1)
    if builtin == .call, let first = arguments.first {
      // Go names the called operand in its messages.
      values.append(.string(first.node.description))
    }
    for argument in arguments {
      if builtin == .printf && values.isEmpty {
        values.append(try evalStringArgument(argument, dot: dot, boxed: boxed))
        continue
      }
      values.append(try evalArgument(argument, dot: dot, boxed: boxed))
    }
    if let final { values.append(final) }
    do {
      return try builtin.call(values, context: functionContext)
    } catch {
      at(node)
      throw self.error("error calling \(name): \(error)")
    }
  }
}
