import CYAML

/// A builder of values from libyaml's events: `YAMLParser`'s node trees and `YAML.load`'s direct
/// `JSONValue`s. The event loop, the documents, anchors and aliases, and the limits on nesting depth
/// and alias expansion are this protocol's `run()`, shared by both, so that hostile input meets the
/// same limits whichever way it is read. A builder supplies only what its values are.
protocol YAMLStreamBuilder {
  associatedtype Value
  var stream: YAMLStreamState<Value> { get set }
  /// How many collections are open.
  var depth: Int { get }
  /// Builds a scalar (and remembers its anchor, if any); nil when the builder used it up itself,
  /// as a mapping key.
  mutating func scalar(_ event: inout yaml_event_t) throws(YAMLError) -> Value?
  /// Opens a sequence or mapping; `start` is the node count its size is measured from.
  mutating func beginCollection(
    _ event: inout yaml_event_t, isMapping: Bool, start: Int, mark: Mark
  ) throws(YAMLError)
  /// Closes the innermost collection: its value, anchor and `start`.
  mutating func endCollection() -> (value: Value, anchor: String?, start: Int)
  /// Places an alias of `target`.
  mutating func alias(_ target: Value, name: String, mark: Mark) throws(YAMLError)
  /// Adds a complete node to the innermost open collection.
  mutating func appendToInnermostCollection(_ value: Value) throws(YAMLError)
}

extension YAMLStreamBuilder {
  /// Reads the whole stream: one value per document.
  mutating func run() throws(YAMLError) -> [Value] {
    var event = yaml_event_t()
    while true {
      try stream.parser.next(into: &event)
      defer { yaml_event_delete(&event) }
      switch event.type {
      case YAML_STREAM_END_EVENT:
        return stream.documents
      case YAML_DOCUMENT_START_EVENT:
        stream.startDocument()
      case YAML_DOCUMENT_END_EVENT:
        stream.endDocument()
      case YAML_SCALAR_EVENT:
        stream.nodeCount += 1
        if let value = try scalar(&event) { try place(value) }
      case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
        let mark = LibYAMLEventParser.mark(event.start_mark)
        // Checked before the collection opens: conversions and the emitter recurse per level.
        guard depth < stream.options.maxDepth else {
          throw .nestingTooDeep(limit: stream.options.maxDepth, stream.parser.location(mark))
        }
        try beginCollection(
          &event, isMapping: event.type == YAML_MAPPING_START_EVENT, start: stream.nodeCount,
          mark: mark)
        stream.nodeCount += 1
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        let (value, anchor, start) = endCollection()
        if let anchor { stream.remember(value, anchor: anchor, size: stream.nodeCount - start) }
        try place(value)
      case YAML_ALIAS_EVENT:
        let mark = LibYAMLEventParser.mark(event.start_mark)
        let name = event.anchorName ?? ""
        try alias(try stream.expandAlias(name, at: mark), name: name, mark: mark)
      default:
        break
      }
    }
  }

  /// Adds a complete node where it belongs: in the innermost collection, or as the document's root.
  mutating func place(_ value: Value) throws(YAMLError) {
    if depth == 0 {
      stream.root = value
    } else {
      try appendToInnermostCollection(value)
    }
  }
}
