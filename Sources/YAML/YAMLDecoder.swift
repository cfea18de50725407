/// Decodes Codable types from YAML, through `JSONValue` and the same rules as `YAML.load` (so a type
/// sees what Kubernetes would see after sigs.k8s.io/yaml). Errors name the file, line and column of
/// the offending node and the coding path:
/// `deploy.yaml:7:15: expected an integer, found the string "http" at spec.ports[0].port`.
public struct YAMLDecoder: Sendable {
  public var options: YAMLParser.Options

  public init(options: YAMLParser.Options = .init()) {
    self.options = options
  }

  /// Decodes the single document of `text` (an empty text is `null`).
  public func decode<T: Decodable>(_ type: T.Type, from text: String, file: String? = nil)
    throws(YAMLError) -> T
  {
    let value = try YAML.loadOne(text, file: file, options: options)
    return try decode(type, from: value) { path throws(YAMLError) in
      try Self.locate(path, in: YAMLParser.parseDocuments(text, file: file, options: options), file)
    }
  }

  /// Decodes the single document of UTF-8 (or UTF-16 with a byte order mark) bytes.
  public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], file: String? = nil)
    throws(YAMLError) -> T
  {
    let value = try YAML.loadOne(bytes, file: file, options: options)
    return try decode(type, from: value) { path throws(YAMLError) in
      try Self.locate(
        path, in: YAMLParser.parseDocuments(bytes, file: file, options: options), file)
    }
  }

  /// Decodes an already loaded value (errors then name only the coding path).
  public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(YAMLError) -> T {
    try decode(type, from: value) { _ in nil }
  }

  /// Decodes; on failure, `locate` (which re-parses to a node tree, so success pays nothing for
  /// positions) finds where the offending node is written.
  private func decode<T: Decodable>(
    _ type: T.Type, from value: JSONValue,
    locate: ([any CodingKey]) throws(YAMLError) -> YAMLLocation?
  ) throws(YAMLError) -> T {
    do {
      return try JSONValueDecoder(value: value).decodeValue(type)
    } catch let error as DecodingError {
      let (message, path) = Self.explain(error)
      throw .decoding(message: message, codingPath: codingPathText(path), try locate(path))
    } catch {
      throw .decoding(message: "\(error)", codingPath: "", try locate([]))
    }
  }

  private static func explain(_ error: DecodingError) -> (String, [any CodingKey]) {
    switch error {
    case .typeMismatch(_, let context), .dataCorrupted(let context):
      return (context.debugDescription, context.codingPath)
    case .valueNotFound(let type, let context):
      return ("expected a value of type \(type), found null or nothing", context.codingPath)
    case .keyNotFound(let key, let context):
      return ("missing required key \"\(key.stringValue)\"", context.codingPath)
    @unknown default:
      return ("\(error)", [])
    }
  }

  /// Where the value at a path (object keys and array indices, as in a JSON pointer's parts) is
  /// written in a YAML document: the deepest node of the path that exists. For errors found after
  /// decoding, such as schema violations.
  public static func location(of path: [String], in bytes: [UInt8], file: String? = nil)
    -> YAMLLocation?
  {
    guard let documents = try? YAMLParser.parseDocuments(bytes, file: file) else { return nil }
    return locate(path.map(PathKey.init), in: documents, file)
  }

  private struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ text: String) {
      stringValue = text
      intValue = Int(text)
    }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(String(intValue)) }
  }

  /// The node a coding path leads to (the deepest one that exists), following aliases and merges.
  private static func locate(_ path: [any CodingKey], in documents: [YAMLNode], _ file: String?)
    -> YAMLLocation?
  {
    guard var node = documents.first?.resolved else { return nil }
    for key in path {
      guard let next = child(of: node, key: key, file: file) else { break }
      node = next.resolved
    }
    return YAMLLocation(file: file, mark: node.mark)
  }

  private static func child(of node: YAMLNode, key: any CodingKey, file: String?) -> YAMLNode? {
    switch node.kind {
    case .sequence(let items, _):
      guard let index = key.intValue, items.indices.contains(index) else { return nil }
      return items[index]
    case .mapping(let entries, _):
      var merged: YAMLNode?
      for entry in entries.reversed() {
        let keyNode = entry.key.resolved
        if keyNode.isMergeKey {
          if merged == nil { merged = mergedChild(entry.value.resolved, key: key, file: file) }
          continue
        }
        if let value = try? JSONValue(yaml: keyNode, file: file),
          MappingBuilder.keyText(value) == key.stringValue
        {
          return entry.value
        }
      }
      return merged
    default:
      return nil
    }
  }

  private static func mergedChild(_ node: YAMLNode, key: any CodingKey, file: String?) -> YAMLNode?
  {
    if case .sequence(let items, _) = node.kind {
      for item in items {
        if let found = child(of: item.resolved, key: key, file: file) { return found }
      }
      return nil
    }
    return child(of: node, key: key, file: file)
  }
}
