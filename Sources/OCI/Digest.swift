import Crypto

/// A content digest, `sha256:<64 lowercase hex digits>`: the name of a blob in a layout or registry.
public struct Digest: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
  /// The lowercase hex encoding of the SHA-256 hash.
  public let hex: String

  /// The digest of `bytes`.
  public init(of bytes: some Sequence<UInt8>) {
    var hasher = SHA256()
    hasher.update(data: Array(bytes))
    self.init(hasher.finalize())
  }

  /// The digest a finished hasher holds.
  public init(_ hash: SHA256.Digest) {
    hex = hash.map { byte in
      let digits: [Character] = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f",
      ]
      return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
    }.joined()
  }

  /// Parses `sha256:<hex>`; other algorithms and malformed hex are rejected with the text shown.
  public init(parsing text: String) throws(OCIError) {
    let prefix = "sha256:"
    guard text.hasPrefix(prefix) else { throw .invalidDigest(text) }
    let hex = text.dropFirst(prefix.count)
    guard hex.count == 64,
      hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
    else { throw .invalidDigest(text) }
    self.hex = String(hex)
  }

  public var description: String { "sha256:\(hex)" }

  public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    do {
      try self.init(parsing: text)
    } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
