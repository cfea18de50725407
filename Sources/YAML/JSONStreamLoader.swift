import CYAML

/// Builds `JSONValue`s straight from libyaml's events, without a node tree: scalars are resolved
/// from libyaml's buffer (a String is made only for strings), keys go straight into the object being
/// built. Same rules and errors as parsing to nodes and converting (`JSONValue(yaml:)`).
struct JSONStreamLoader {
  private enum PendingKey {
    case none
    case key(String, Mark)
    case merge(Mark)
  }

  private struct Frame {
    var isMapping: Bool
    var items: [JSONValue] = []
    var object = MappingBuilder()
    var pendingKey = PendingKey.none
    var anchor: String?
    var start: Int
  }

  let parser: LibYAMLEventParser
  let options: YAMLParser.Options
  private var stack: [Frame] = []
  private var anchors: [String: (value: JSONValue, size: Int)] = [:]
  private var nodeCount = 0
  private var aliasExpansion = 0
  private var root: JSONValue?
  private var documents: [JSONValue] = []

  init(parser: LibYAMLEventParser, options: YAMLParser.Options) {
    self.parser = parser
    self.options = options
  }

  static func load(buffer: UnsafeBufferPointer<UInt8>, file: String?, options: YAMLParser.Options)
    throws(YAMLError) -> [JSONValue]
  {
    var loader = JSONStreamLoader(
      parser: LibYAMLEventParser(input: buffer, file: file), options: options)
    return try loader.run()
  }

  mutating func run() throws(YAMLError) -> [JSONValue] {
    var event = yaml_event_t()
    while true {
      try parser.next(into: &event)
      defer { yaml_event_delete(&event) }
      switch event.type {
      case YAML_STREAM_END_EVENT:
        return documents
      case YAML_DOCUMENT_START_EVENT:
        anchors = [:]
        root = nil
      case YAML_DOCUMENT_END_EVENT:
        if let root { documents.append(root) }
      case YAML_SCALAR_EVENT:
        try scalar(&event)
      case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
        let mark = LibYAMLEventParser.mark(event.start_mark)
        guard stack.count < options.maxDepth else {
          throw .nestingTooDeep(limit: options.maxDepth, parser.location(mark))
        }
        if let top = stack.last, top.isMapping, case .none = top.pendingKey {
          let kind = event.type == YAML_MAPPING_START_EVENT ? "mapping" : "sequence"
          throw .unsupportedKey(kind: kind, parser.location(mark))
        }
        stack.append(
          Frame(
            isMapping: event.type == YAML_MAPPING_START_EVENT, anchor: event.anchorName,
            start: nodeCount))
        nodeCount += 1
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        let frame = stack.removeLast()
        let value: JSONValue = frame.isMapping ? .object(frame.object.entries) : .array(frame.items)
        if let anchor = frame.anchor { anchors[anchor] = (value, nodeCount - frame.start) }
        try add(value)
      case YAML_ALIAS_EVENT:
        let mark = LibYAMLEventParser.mark(event.start_mark)
        let name = event.anchorName ?? ""
        guard let (value, size) = anchors[name] else {
          throw .undefinedAlias(name, parser.location(mark))
        }
        aliasExpansion += size
        guard aliasExpansion <= options.maxAliasExpansion else {
          throw .aliasExpansionLimit(limit: options.maxAliasExpansion, parser.location(mark))
        }
        nodeCount += size
        if let top = stack.last, top.isMapping, case .none = top.pendingKey {
          guard let key = MappingBuilder.keyText(value) else {
            throw .unsupportedKey(kind: MappingBuilder.kindName(value), parser.location(mark))
          }
          stack[stack.count - 1].pendingKey = .key(key, mark)
        } else {
          try add(value)
        }
      default:
        break
      }
    }
  }

  private mutating func scalar(_ event: inout yaml_event_t) throws(YAMLError) {
    nodeCount += 1
    let bytes = event.scalarBytes
    let tag = event.data.scalar.tag
    let isPlain = event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
    let anchor = event.data.scalar.anchor

    if let top = stack.last, top.isMapping, case .none = top.pendingKey {
      let mark = LibYAMLEventParser.mark(event.start_mark)
      if isMergeKey(bytes, isPlain: isPlain, tag: tag) {
        stack[stack.count - 1].pendingKey = .merge(mark)
        return
      }
      let key: String
      if tag == nil && anchor == nil {
        // The common case, without building a JSONValue for the key.
        if isPlain {
          let resolved = ScalarResolver.resolvePlain(bytes: bytes)
          guard
            let text = MappingBuilder.keyText(
              resolved, text: { String(decoding: bytes, as: UTF8.self) })
          else { throw .unsupportedKey(kind: "null", parser.location(mark)) }
          key = text
        } else {
          key = String(decoding: bytes, as: UTF8.self)
        }
      } else {
        let value = try scalarValue(bytes, isPlain: isPlain, tag: tag, mark: event.start_mark)
        if let anchor { anchors[String(cString: anchor)] = (value, 1) }
        guard let text = MappingBuilder.keyText(value) else {
          throw .unsupportedKey(kind: MappingBuilder.kindName(value), parser.location(mark))
        }
        key = text
      }
      stack[stack.count - 1].pendingKey = .key(key, mark)
      return
    }

    let value = try scalarValue(bytes, isPlain: isPlain, tag: tag, mark: event.start_mark)
    if let anchor { anchors[String(cString: anchor)] = (value, 1) }
    try add(value)
  }

  private func scalarValue(
    _ bytes: UnsafeBufferPointer<UInt8>, isPlain: Bool, tag: UnsafeMutablePointer<yaml_char_t>?,
    mark: yaml_mark_t
  ) throws(YAMLError) -> JSONValue {
    if let tag {
      return try ScalarResolver.resolveTagged(
        String(decoding: bytes, as: UTF8.self), tag: String(cString: tag),
        at: parser.location(mark))
    }
    if isPlain {
      return ScalarResolver.resolvePlain(bytes: bytes).jsonValue {
        String(decoding: bytes, as: UTF8.self)
      }
    }
    return .string(String(decoding: bytes, as: UTF8.self))
  }

  /// go-yaml's rule: a plain `<<`, or any `<<` tagged `!!merge`.
  private func isMergeKey(
    _ bytes: UnsafeBufferPointer<UInt8>, isPlain: Bool, tag: UnsafeMutablePointer<yaml_char_t>?
  ) -> Bool {
    guard bytes.count == 2, bytes[0] == UInt8(ascii: "<"), bytes[1] == UInt8(ascii: "<") else {
      return false
    }
    if let tag { return String(cString: tag) == ScalarResolver.tagPrefix + "merge" }
    return isPlain
  }

  private mutating func add(_ value: JSONValue) throws(YAMLError) {
    guard !stack.isEmpty else {
      root = value
      return
    }
    let top = stack.count - 1
    if !stack[top].isMapping {
      stack[top].items.append(value)
      return
    }
    switch stack[top].pendingKey {
    case .key(let key, let mark):
      stack[top].pendingKey = .none
      try stack[top].object.set(key, value, writtenAt: mark, file: parser.file)
    case .merge(let mark):
      stack[top].pendingKey = .none
      try stack[top].object.merge(value, at: parser.location(mark))
    case .none:
      // Keys are consumed by `scalar` and the alias case; collections as keys were rejected.
      preconditionFailure("a mapping value arrived without a key")
    }
  }
}
