import Crypto
import Foundation
import GoTemplate

/// Sprig's checksums of a string's UTF-8 bytes, in lowercase hex (`adler32sum` in decimal).
enum HashFunctions {
  static let functions: [String: TemplateFunction] = [
    "sha1sum": stringFunction { hex(Insecure.SHA1.hash(data: Data($0.utf8))) },
    "sha256sum": stringFunction { hex(SHA256.hash(data: Data($0.utf8))) },
    "sha512sum": stringFunction { hex(SHA512.hash(data: Data($0.utf8))) },
    "adler32sum": stringFunction { String(adler32(Array($0.utf8))) },
  ]

  static func hex<Digest: Sequence>(_ digest: Digest) -> String where Digest.Element == UInt8 {
    digest.map { String(format: "%02x", $0) }.joined()
  }

  /// `hash/adler32.Checksum`.
  static func adler32(_ bytes: [UInt8]) -> UInt32 {
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in bytes {
      a = (a + UInt32(byte)) % 65521
      b = (b + a) % 65521
    }
    return b << 16 | a
  }
}
