/// A position in YAML text: 1-based line and column (columns count characters).
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (lhs: Mark, rhs: Mark) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }

  public var description: String { "\(line):\(column)" }
}

/// How a scalar was written in the source.
public enum YAMLScalarStyle: Sendable, Hashable {
  case plain
  case singleQuoted
  case doubleQuoted
  case literal
  case folded
}

/// A scalar as written: its text (after YAML's escaping and folding rules), its style and its explicit
/// tag, if any (`tag:yaml.org,2002:int` for `!!int`). Its meaning comes from `ScalarResolver`.
public struct YAMLScalar: Sendable, Hashable {
  public var value: String
  public var style: YAMLScalarStyle
  public var tag: String?

  public init(_ value: String, style: YAMLScalarStyle = .plain, tag: String? = nil) {
    self.value = value
    self.style = style
    self.tag = tag
  }
}

/// One key/value pair of a mapping, in source order.
public struct YAMLMappingEntry: Sendable, Hashable {
  public var key: YAMLNode
  public var value: YAMLNode

  public init(key: YAMLNode, value: YAMLNode) {
    self.key = key
    self.value = value
  }
}

/// A node of a parsed YAML document. Mappings keep their pairs in source order (duplicates included:
/// the node tree shows what was written; conversion to `JSONValue` rejects them). Aliases are resolved:
/// an `.alias` node carries the node its anchor named, so the tree can be walked without a symbol table.
public struct YAMLNode: Sendable, Hashable {
  public indirect enum Kind: Sendable, Hashable {
    case scalar(YAMLScalar)
    /// A sequence's items; `tag` is its explicit tag, if any.
    case sequence([YAMLNode], tag: String?)
    /// A mapping's pairs in source order; `tag` is its explicit tag, if any.
    case mapping([YAMLMappingEntry], tag: String?)
    /// `*name`, resolved to the node anchored as `&name` earlier in the document.
    case alias(String, target: YAMLNode)
  }

  public var kind: Kind
  /// Where the node starts (for an alias: where `*name` is written).
  public var mark: Mark
  /// The anchor (`&name`) defined on this node, if any.
  public var anchor: String?

  public init(_ kind: Kind, mark: Mark, anchor: String? = nil) {
    self.kind = kind
    self.mark = mark
    self.anchor = anchor
  }

  /// The node an alias stands for (following chains), or the node itself.
  public var resolved: YAMLNode {
    var node = self
    while case .alias(_, let target) = node.kind { node = target }
    return node
  }
}
