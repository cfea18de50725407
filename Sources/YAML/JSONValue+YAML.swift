extension JSONValue {
  /// Converts a parsed YAML node to a JSON value with the rules of `ScalarResolver` (scalars) and
  /// `MappingBuilder` (keys, duplicates, merges). `file` names the input in errors.
  public init(yaml node: YAMLNode, file: String? = nil) throws(YAMLError) {
    self = try NodeConverter(file: file).convert(node)
  }
}

private struct NodeConverter {
  let file: String?

  func convert(_ node: YAMLNode) throws(YAMLError) -> JSONValue {
    switch node.kind {
    case .scalar(let scalar):
      return try ScalarResolver.resolve(scalar, at: YAMLLocation(file: file, mark: node.mark))
    case .alias(_, let target):
      return try convert(target)
    case .sequence(let items, _):
      var values: [JSONValue] = []
      values.reserveCapacity(items.count)
      for item in items { values.append(try convert(item)) }
      return .array(values)
    case .mapping(let entries, _):
      var builder = MappingBuilder()
      for entry in entries {
        let keyNode = entry.key.resolved
        if keyNode.isMergeKey {
          try builder.merge(
            try convert(entry.value), at: YAMLLocation(file: file, mark: entry.key.mark))
          continue
        }
        let key = try convert(keyNode)
        guard let text = MappingBuilder.keyText(key) else {
          throw .unsupportedKey(
            kind: MappingBuilder.kindName(key), YAMLLocation(file: file, mark: entry.key.mark))
        }
        try builder.set(text, try convert(entry.value), writtenAt: entry.key.mark, file: file)
      }
      return .object(builder.entries)
    }
  }
}

extension YAMLNode {
  /// Whether this key node is a merge key, by go-yaml's rule: a plain `<<`, or any `<<` tagged
  /// `!!merge`.
  var isMergeKey: Bool {
    guard case .scalar(let scalar) = kind, scalar.value == "<<" else { return false }
    if let tag = scalar.tag { return tag == ScalarResolver.tagPrefix + "merge" }
    return scalar.style == .plain
  }
}
