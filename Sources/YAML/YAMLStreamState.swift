/// What a YAML builder keeps across the events of one stream: the finished documents, the current
/// document's root and anchors, and the counts behind the alias-expansion limit.
struct YAMLStreamState<Value> {
  let parser: LibYAMLEventParser
  let options: YAMLParser.Options
  var documents: [Value] = []
  /// The current document's top node, once it is complete.
  var root: Value?
  /// The current document's anchors, each with the size of the node it names (aliases inside it
  /// expanded), so that an alias to it counts as that many nodes.
  private var anchors: [String: (value: Value, size: Int)] = [:]
  /// Nodes read so far, each alias counted as the size of the node it repeats.
  var nodeCount = 0
  /// Nodes added by aliases so far.
  private var aliasExpansion = 0

  init(parser: LibYAMLEventParser, options: YAMLParser.Options) {
    self.parser = parser
    self.options = options
  }

  /// Anchors are scoped to their document.
  mutating func startDocument() {
    anchors = [:]
    root = nil
  }

  mutating func endDocument() {
    if let root { documents.append(root) }
  }

  mutating func remember(_ value: Value, anchor: String, size: Int) {
    anchors[anchor] = (value, size)
  }

  /// The node an alias repeats, counted against the expansion limit: "billion laughs" input (a few
  /// lines of aliases to aliases) would otherwise expand to billions of nodes in whatever walks the
  /// result, while the node tree itself stays small.
  mutating func expandAlias(_ name: String, at mark: Mark) throws(YAMLError) -> Value {
    guard let (value, size) = anchors[name] else {
      throw .undefinedAlias(name, parser.location(mark))
    }
    aliasExpansion += size
    guard aliasExpansion <= options.maxAliasExpansion else {
      throw .aliasExpansionLimit(limit: options.maxAliasExpansion, parser.location(mark))
    }
    nodeCount += size
    return value
  }
}
