import CGit2

/// A Git object id (SHA-1), as its 40 lowercase hex digits.
public struct ObjectID: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The 40 lowercase hex digits.
  public let hex: String

  init(_ oid: UnsafePointer<git_oid>) {
    var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
    git_oid_fmt(&buffer, oid)
    hex = String(
      decoding: buffer.prefix(Int(GIT_OID_HEXSZ)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  init(_ oid: git_oid) {
    var copy = oid
    self.init(&copy)
  }

  /// Parses 40 hex digits; nil for anything else.
  public init?(hex: String) {
    var oid = git_oid()
    guard hex.utf8.count == Int(GIT_OID_HEXSZ), git_oid_fromstr(&oid, hex) == 0 else { return nil }
    self.init(oid)
  }

  /// The first seven digits, as `git log --oneline` shows them.
  public var short: String { String(hex.prefix(7)) }

  public var description: String { hex }

  var oid: git_oid {
    var oid = git_oid()
    git_oid_fromstr(&oid, hex)
    return oid
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let id = ObjectID(hex: text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "not a 40-digit object id: \(text)")
      )
    }
    self = id
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(hex)
  }
}
