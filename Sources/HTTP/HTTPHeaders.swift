/// An ordered list of HTTP header fields, as sent or received.
///
/// Names compare case-insensitively (RFC 9110, section 5.1), repeated fields keep their order, and
/// the description redacts credentials so a header list can be logged safely.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral,
  CustomStringConvertible
{
  /// One header field: a name and its value, both as they appeared.
  public struct Field: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
      self.name = name
      self.value = value
    }
  }

  /// The fields in the order they were added or received.
  public private(set) var fields: [Field]

  public init() { fields = [] }

  public init(_ fields: [(String, String)]) {
    self.fields = fields.map { Field(name: $0.0, value: $0.1) }
  }

  public init(dictionaryLiteral elements: (String, String)...) {
    self.init(elements)
  }

  /// The first value of the field named `name` (any case), or nil.
  public subscript(name: String) -> String? {
    fields.first { $0.name.caseInsensitiveEquals(name) }?.value
  }

  /// Every value of the field named `name` (any case), in order; a field sent several times
  /// (`Set-Cookie`, `WWW-Authenticate`, `Link`) has several.
  public func values(for name: String) -> [String] {
    fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
  }

  /// Whether a field named `name` (any case) is present.
  public func contains(_ name: String) -> Bool {
    fields.contains { $0.name.caseInsensitiveEquals(name) }
  }

  /// Appends a field, keeping any earlier fields of the same name.
  public mutating func add(_ name: String, _ value: String) {
    fields.append(Field(name: name, value: value))
  }

  /// Replaces every field named `name` (any case) with a single one.
  public mutating func set(_ name: String, _ value: String) {
    remove(name)
    add(name, value)
  }

  /// Removes every field named `name` (any case).
  public mutating func remove(_ name: String) {
    fields.removeAll { $0.name.caseInsensitiveEquals(name) }
  }

  public var count: Int { fields.count }

  public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

  /// `Name: value` lines, with the values of credential-bearing fields replaced by `<redacted>`.
  public var description: String {
    fields.map { field in
      let value = Redaction.isSensitiveHeader(field.name) ? Redaction.placeholder : field.value
      return "\(field.name): \(value)"
    }.joined(separator: "\n")
  }
}

extension String {
  func caseInsensitiveEquals(_ other: String) -> Bool {
    utf8.count == other.utf8.count && lowercased() == other.lowercased()
  }
}
