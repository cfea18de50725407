/// Where in a YAML input something is: the file (or a placeholder when the text had no file) and a
/// 1-based line and column (columns count characters, not bytes).
public struct YAMLLocation: Sendable, Hashable, CustomStringConvertible {
  /// The file name given to the parser, or nil when the text did not come from a file.
  public var file: String?
  /// The node's position in that file.
  public var mark: Mark

  public init(file: String?, mark: Mark) {
    self.file = file
    self.mark = mark
  }

  /// `values.yaml:3:5`, or `<input>:3:5` when there is no file name.
  public var description: String { "\(file ?? "<input>"):\(mark.line):\(mark.column)" }
}

/// Everything that can go wrong reading, converting or writing YAML. Every case that concerns input
/// names where in the input the problem is, so a user can open the file at that line and fix it.
public enum YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
  /// libyaml rejected the text: `problem` is libyaml's own wording (e.g. "found character that cannot
  /// start any token") and `context` what it was doing (e.g. "while scanning for the next token").
  case syntax(YAMLLocation, problem: String, context: String?)
  /// The same key appears twice in one mapping. Kubernetes' strict decoding rejects this, and a
  /// silent "last one wins" hides typos in values files, so we reject it too.
  case duplicateKey(String, YAMLLocation, first: Mark)
  /// An alias (`*name`) refers to an anchor that was not defined earlier in the same document.
  case undefinedAlias(String, YAMLLocation)
  /// Aliases expand to more nodes than the configured limit: the defence against "billion laughs".
  case aliasExpansionLimit(limit: Int, YAMLLocation)
  /// Collections nest deeper than the configured limit.
  case nestingTooDeep(limit: Int, YAMLLocation)
  /// A scalar with an explicit tag whose text does not fit that tag, e.g. `!!int abc`.
  case invalidTaggedValue(tag: String, value: String, YAMLLocation)
  /// A `<<` merge key whose value is not a mapping or a sequence of mappings.
  case invalidMerge(YAMLLocation)
  /// A mapping key that JSON cannot carry: null, a sequence or a mapping.
  case unsupportedKey(kind: String, YAMLLocation)
  /// `loadOne` was given a stream with more than one document.
  case multipleDocuments(count: Int, file: String?)
  /// A Codable value did not match the YAML: `message` says what was expected and `codingPath` where
  /// in the value (e.g. `spec.ports[0].port`).
  case decoding(message: String, codingPath: String, YAMLLocation?)
  /// A Codable value could not be turned into YAML (e.g. a non-string dictionary key).
  case encoding(message: String, codingPath: String)

  public var description: String {
    switch self {
    case .syntax(let location, let problem, let context):
      let suffix = context.map { " (\($0))" } ?? ""
      return "\(location): \(problem)\(suffix)"
    case .duplicateKey(let key, let location, let first):
      return
        "\(location): duplicate key \"\(key)\" (first defined at line \(first.line), column "
        + "\(first.column)); remove one of them"
    case .undefinedAlias(let name, let location):
      return "\(location): unknown alias *\(name); define the anchor &\(name) before using it"
    case .aliasExpansionLimit(let limit, let location):
      return
        "\(location): aliases expand to more than \(limit) nodes; the document is refused as an "
        + "alias bomb (raise YAMLParser.Options.maxAliasExpansion if it is genuine)"
    case .nestingTooDeep(let limit, let location):
      return "\(location): collections nest deeper than \(limit) levels"
    case .invalidTaggedValue(let tag, let value, let location):
      return "\(location): cannot decode `\(value)` as \(tag)"
    case .invalidMerge(let location):
      return "\(location): a merge key (<<) needs a mapping or a sequence of mappings as its value"
    case .unsupportedKey(let kind, let location):
      return "\(location): a \(kind) cannot be a mapping key here; use a string key"
    case .multipleDocuments(let count, let file):
      return "\(file ?? "<input>"): expected one YAML document, found \(count)"
    case .decoding(let message, let codingPath, let location):
      let place = location.map { "\($0): " } ?? ""
      let path = codingPath.isEmpty ? "" : " at \(codingPath)"
      return "\(place)\(message)\(path)"
    case .encoding(let message, let codingPath):
      let path = codingPath.isEmpty ? "" : " at \(codingPath)"
      return "cannot encode value as YAML\(path): \(message)"
    }
  }
}
