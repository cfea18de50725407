import YAML

/// YAML loading as Helm's Go libraries do it: a key repeated in one mapping is not an error,
/// the last occurrence wins (sigs.k8s.io/yaml through encoding/json). Our YAML module refuses
/// duplicates, so on that error the document is parsed to nodes, the earlier duplicates are
/// dropped, and the result converted.
enum LenientYAML {
  /// The single document of `text` (null when empty).
  static func loadOne(_ text: String, file: String?) throws(YAMLError) -> JSONValue {
    do {
      return try YAML.loadOne(text, file: file)
    } catch .duplicateKey {
      let documents = try YAMLParser.parseDocuments(text, file: file)
      guard documents.count <= 1 else {
        throw .multipleDocuments(count: documents.count, file: file)
      }
      guard let document = documents.first else { return .null }
      return try JSONValue(yaml: lastKeyWins(document), file: file)
    }
  }

  /// The same tree with only the last entry of each key kept in every mapping.
  static func lastKeyWins(_ node: YAMLNode) -> YAMLNode {
    switch node.kind {
    case .scalar: return node
    case .alias(let name, let target):
      return YAMLNode(
        .alias(name, target: lastKeyWins(target)), mark: node.mark, anchor: node.anchor)
    case .sequence(let items, let tag):
      return YAMLNode(
        .sequence(items.map(lastKeyWins), tag: tag), mark: node.mark, anchor: node.anchor)
    case .mapping(let entries, let tag):
      var seen = Set<String>()
      var kept: [YAMLMappingEntry] = []
      for entry in entries.reversed() {
        if case .scalar(let scalar) = entry.key.resolved.kind, scalar.value != "<<" {
          if !seen.insert(scalar.value).inserted { continue }
        }
        kept.append(YAMLMappingEntry(key: entry.key, value: lastKeyWins(entry.value)))
      }
      return YAMLNode(.mapping(kept.reversed(), tag: tag), mark: node.mark, anchor: node.anchor)
    }
  }
}
