import CYAML

/// Builds `JSONValue`s straight from libyaml's events, without a node tree: scalars are resolved
/// from libyaml's buffer (a String is made only for strings), keys go straight into the object being
/// built. Same rules and errors as parsing to nodes and converting (`JSONValue(yaml:)`).
struct JSONStreamLoader: YAMLStreamBuilder {
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

  var stream: YAMLStreamState<JSONValue>
  private var stack: [Frame] = []
  var depth: Int { stack.count }
  private var parser: LibYAMLEventParser { stream.parser }

  init(parser: LibYAMLEventParser, options: YAMLParser.Options) {
    stream = YAMLStreamState(parser: parser, options: options)
  }

  static func load(buffer: UnsafeBufferPointer<UInt8>, file: String?, options: YAMLParser.Options)
    throws(YAMLError) -> [JSONValue]
  {
    var loader = JSONStreamLoader(
      parser: LibYAMLEventParser(input: buffer, file: file), options: options)
    return try loader.run()
  }

  mutating func beginCollection(
    _ event: inout yaml_event_t, isMapping: Bool, start: Int, mark: Mark
  ) throws(YAMLError) {
    if let top = stack.last, top.isMapping, case .none = top.pendingKey {
      throw .unsupportedKey(kind: isMapping ? "mapping" : "sequence", parser.location(mark))
    }
    stack.append(Frame(isMapping: isMapping, anchor: event.anchorName, start: start))
  }

  mutating func endCollection() -> (value: JSONValue, anchor: String?, start: Int) {
    let frame = stack.removeLast()
    let value: JSONValue = frame.isMapping ? .object(frame.object.entries) : .array(frame.items)
    return (value, frame.anchor, frame.start)
  }

  mutating func alias(_ value: JSONValue, name: String, mark: Mark) throws(YAMLError) {
    if let top = stack.last, top.isMapping, case .none = top.pendingKey {
      guard let key = MappingBuilder.keyText(value) else {
        throw .unsupportedKey(kind: MappingBuilder.kindName(value), parser.location(mark))
      }
      stack[stack.count - 1].pendingKey = .key(key, mark)
    } else {
      try place(value)
    }
  }

  mutating func scalar(_ event: inout yaml_event_t) throws(YAMLError) -> JSONValue? {
    let bytes = event.scalarBytes
    let tag = event.data.scalar.tag
    let isPlain = event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
    let anchor = event.data.scalar.anchor

    if let top = stack.last, top.isMapping, case .none = top.pendingKey {
      let mark = LibYAMLEventParser.mark(event.start_mark)
      if isMergeKey(bytes, isPlain: isPlain, tag: tag) {
        stack[stack.count - 1].pendingKey = .merge(mark)
        return nil
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
        if let anchor { stream.remember(value, anchor: String(cString: anchor), size: 1) }
        guard let text = MappingBuilder.keyText(value) else {
          throw .unsupportedKey(kind: MappingBuilder.kindName(value), parser.location(mark))
        }
        key = text
      }
      stack[stack.count - 1].pendingKey = .key(key, mark)
      return nil
    }

    let value = try scalarValue(bytes, isPlain: isPlain, tag: tag, mark: event.start_mark)
    if let anchor { stream.remember(value, anchor: String(cString: anchor), size: 1) }
    return value
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

  mutating func appendToInnermostCollection(_ value: JSONValue) throws(YAMLError) {
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
