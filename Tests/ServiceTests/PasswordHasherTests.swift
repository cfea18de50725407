import Foundation
import Testing
import UserAPI

@Suite struct PasswordHasherTests {
  /// The ten sample users' hashes, read from the chart's sample-data.sql.
  static func sampleHashes() throws -> [String] {
    let text = try String(
      contentsOf: Backends.sqlDirectory.appendingPathComponent("sample-data.sql"), encoding: .utf8)
    return text.matches(of: /'(\$pbkdf2-sha256\$[^']+)'/).map { String($0.output.1) }
  }

  @Test func verifiesEverySampleUsersHash() async throws {
    let hashes = try Self.sampleHashes()
    #expect(hashes.count == 10)
    let hasher = PasswordHasher()
    for hash in hashes {
      #expect(try await hasher.verify("tripgen-dev-password", against: hash), "\(hash)")
      #expect(try await !hasher.verify("tripgen-dev-passwore", against: hash))
    }
  }

  @Test func newHashesHaveTheSampleFormatAndVerify() async throws {
    let hasher = PasswordHasher()
    let hash = try await hasher.hash("correct horse battery staple")
    #expect(
      hash.wholeMatch(of: /\$pbkdf2-sha256\$i=210000\$[A-Za-z0-9+\/]{22}\$[A-Za-z0-9+\/]{43}/)
        != nil)
    #expect(try await hasher.verify("correct horse battery staple", against: hash))
    #expect(try await !hasher.verify("correct horse battery stapler", against: hash))
    #expect(try await hasher.hash("same") != hasher.hash("same"), "salts differ")
  }

  @Test func malformedHashesAreRefused() async {
    let hasher = PasswordHasher()
    for stored in ["", "plain", "$argon2id$v=19$x$y", "$pbkdf2-sha256$i=abc$AAAA$AAAA"] {
      await #expect(throws: PasswordHasher.Failure.self) {
        try await hasher.verify("x", against: stored)
      }
    }
  }
}
