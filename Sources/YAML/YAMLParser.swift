import CYAML

/// Parses YAML text into node trees, one per document, keeping what was written: key order, scalar
/// styles and tags, anchors, and the position of every node.
///
/// Use `YAML.load` when only the values matter: it skips the tree and is faster.
public enum YAMLParser {
  /// Limits that keep hostile input from exhausting memory or stack.
  public struct Options: Sendable, Hashable {
    /// How many nodes aliases may add to a stream in total, counting each alias as the size of the
    /// node it repeats. "Billion laughs" needs far more than any real manifest; the default is 1M.
    public var maxAliasExpansion: Int
    /// How deeply sequences and mappings may nest. Conversions and the emitter recurse per level.
    public var maxDepth: Int

    public init(maxAliasExpansion: Int = 1_000_000, maxDepth: Int = 1_000) {
      self.maxAliasExpansion = maxAliasExpansion
      self.maxDepth = maxDepth
    }
  }

  /// Parses every document of a YAML stream. `file` names the input in errors.
  public static func parseDocuments(_ text: String, file: String? = nil, options: Options = .init())
    throws(YAMLError) -> [YAMLNode]
  {
    try withUTF8Buffer(of: text) { buffer throws(YAMLError) in
      try parseDocuments(buffer: buffer, file: file, options: options)
    }
  }

  /// Parses every document of a YAML stream given as UTF-8 (or UTF-16 with a byte order mark) bytes.
  public static func parseDocuments(
    _ bytes: [UInt8], file: String? = nil, options: Options = .init()
  )
    throws(YAMLError) -> [YAMLNode]
  {
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(YAMLError) in
        try parseDocuments(buffer: buffer, file: file, options: options)
      }
    }
    return try result.get()
  }

  static func parseDocuments(buffer: UnsafeBufferPointer<UInt8>, file: String?, options: Options)
    throws(YAMLError) -> [YAMLNode]
  {
    let parser = LibYAMLEventParser(input: buffer, file: file)
    var builder = TreeBuilder(parser: parser, options: options)
    return try builder.run()
  }
}

/// Runs `body` over a String's UTF-8 bytes, keeping typed throws.
func withUTF8Buffer<T>(
  of text: String, _ body: (UnsafeBufferPointer<UInt8>) throws(YAMLError) -> T
) throws(YAMLError) -> T {
  var text = text
  let result = text.withUTF8 { buffer in Result { () throws(YAMLError) in try body(buffer) } }
  return try result.get()
}

/// Assembles libyaml's events into `YAMLNode` trees with an explicit stack (no recursion, so deep
/// input cannot overflow the stack before the depth limit reports it).
private struct TreeBuilder: YAMLStreamBuilder {
  private struct Frame {
    var isMapping: Bool
    var items: [YAMLNode] = []
    var entries: [YAMLMappingEntry] = []
    var pendingKey: YAMLNode?
    var tag: String?
    var anchor: String?
    var mark: Mark
    /// The node count when the collection started: its size (aliases expanded) is the difference.
    var start: Int
  }

  var stream: YAMLStreamState<YAMLNode>
  private var stack: [Frame] = []
  var depth: Int { stack.count }

  init(parser: LibYAMLEventParser, options: YAMLParser.Options) {
    stream = YAMLStreamState(parser: parser, options: options)
  }

  mutating func scalar(_ event: inout yaml_event_t) -> YAMLNode? {
    let scalar = YAMLScalar(
      String(decoding: event.scalarBytes, as: UTF8.self), style: event.scalarStyle,
      tag: event.tagName)
    let anchor = event.anchorName
    let node = YAMLNode(
      .scalar(scalar), mark: LibYAMLEventParser.mark(event.start_mark), anchor: anchor)
    if let anchor { stream.remember(node, anchor: anchor, size: 1) }
    return node
  }

  mutating func beginCollection(
    _ event: inout yaml_event_t, isMapping: Bool, start: Int, mark: Mark
  ) {
    stack.append(
      Frame(
        isMapping: isMapping, tag: event.tagName, anchor: event.anchorName, mark: mark,
        start: start))
  }

  mutating func endCollection() -> (value: YAMLNode, anchor: String?, start: Int) {
    let frame = stack.removeLast()
    let kind: YAMLNode.Kind =
      frame.isMapping
      ? .mapping(frame.entries, tag: frame.tag) : .sequence(frame.items, tag: frame.tag)
    return (YAMLNode(kind, mark: frame.mark, anchor: frame.anchor), frame.anchor, frame.start)
  }

  mutating func alias(_ target: YAMLNode, name: String, mark: Mark) throws(YAMLError) {
    try place(YAMLNode(.alias(name, target: target), mark: mark))
  }

  mutating func appendToInnermostCollection(_ node: YAMLNode) {
    let top = stack.count - 1
    if !stack[top].isMapping {
      stack[top].items.append(node)
    } else if let key = stack[top].pendingKey {
      stack[top].entries.append(YAMLMappingEntry(key: key, value: node))
      stack[top].pendingKey = nil
    } else {
      stack[top].pendingKey = node
    }
  }
}
