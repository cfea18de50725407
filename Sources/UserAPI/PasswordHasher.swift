import Crypto
import Dispatch
import Foundation
import _CryptoExtras

/// PBKDF2-HMAC-SHA256 password hashes in the PHC string form the sample data uses
/// (charts/tripgen/files/sql/sample-data.sql): `$pbkdf2-sha256$i=210000$<salt>$<hash>`, salt and hash in
/// unpadded standard base64, 16-byte salt, 32-byte hash.
///
/// 210,000 iterations is OWASP's floor for PBKDF2-SHA256 and costs about a tenth of a second of CPU, so
/// hashing runs on a dispatch queue, never on Swift's cooperative pool, where it would stall other
/// requests.
public struct PasswordHasher: Sendable {
  /// Why a stored hash could not be used.
  public enum Failure: Error, CustomStringConvertible, Equatable {
    case unsupportedFormat

    public var description: String {
      "stored password hash is not in the $pbkdf2-sha256$i=<n>$<salt>$<hash> form"
    }
  }

  public static let iterations = 210_000
  static let saltLength = 16
  static let hashLength = 32
  private static let queue = DispatchQueue(
    label: "tripgen.password-hashing", attributes: .concurrent)

  public init() {}

  /// A new hash of `password` with a random salt.
  public func hash(_ password: String) async throws -> String {
    var generator = SystemRandomNumberGenerator()
    let salt = (0..<Self.saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    let derived = try await Self.derive(password, salt: salt, iterations: Self.iterations)
    return "$pbkdf2-sha256$i=\(Self.iterations)$\(Self.base64(salt))$\(Self.base64(derived))"
  }

  /// Whether `password` matches `stored`, compared in constant time.
  public func verify(_ password: String, against stored: String) async throws -> Bool {
    let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
    guard parts.count == 5, parts[0].isEmpty, parts[1] == "pbkdf2-sha256",
      parts[2].hasPrefix("i="), let iterations = Int(parts[2].dropFirst(2)), iterations > 0,
      let salt = Self.decode(parts[3]), let expected = Self.decode(parts[4]), !expected.isEmpty
    else { throw Failure.unsupportedFormat }
    let derived = try await Self.derive(
      password, salt: salt, iterations: iterations, length: expected.count)
    // Constant time: every byte is compared whatever the first difference.
    return zip(derived, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
  }

  static func derive(
    _ password: String, salt: [UInt8], iterations: Int, length: Int = hashLength
  ) async throws -> [UInt8] {
    try await withCheckedThrowingContinuation { continuation in
      queue.async {
        continuation.resume(
          with: Result {
            let key = try KDF.Insecure.PBKDF2.deriveKey(
              from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: length,
              unsafeUncheckedRounds: iterations)
            return key.withUnsafeBytes { Array($0) }
          })
      }
    }
  }

  static func base64(_ bytes: [UInt8]) -> String {
    var text = Data(bytes).base64EncodedString()
    while text.hasSuffix("=") { text.removeLast() }
    return text
  }

  static func decode(_ text: Substring) -> [UInt8]? {
    var padded = String(text)
    while padded.count % 4 != 0 { padded += "=" }
    return Data(base64Encoded: padded).map { Array($0) }
  }
}
