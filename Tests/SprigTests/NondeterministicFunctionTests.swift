import Foundation
import GoTemplate
import Testing

@testable import Sprig

/// Functions whose results differ on every call: their shape is checked, not their value.
@Suite("Nondeterministic Sprig functions")
struct NondeterministicFunctionTests {
  @Test("uuidv4 is a lowercase version 4 UUID and differs between calls")
  func uuid() throws {
    let output = try renderHelmStyle("{{ uuidv4 }} {{ uuidv4 }}")
    let parts = output.split(separator: " ").map(String.init)
    #expect(parts.count == 2)
    for uuid in parts {
      #expect(
        uuid.range(
          of: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
          options: .regularExpression) != nil, "\(uuid)")
    }
    #expect(parts[0] != parts[1])
  }

  @Test(
    "random strings have the requested length and alphabet",
    arguments: [
      ("randAlphaNum", "^[A-Za-z0-9]{40}$"), ("randAlpha", "^[A-Za-z]{40}$"),
      ("randNumeric", "^[0-9]{40}$"), ("randAscii", "^[ -~]{40}$"),
    ])
  func randomStrings(function: String, pattern: String) throws {
    let output = try renderHelmStyle("{{ \(function) 40 }}")
    #expect(output.range(of: pattern, options: .regularExpression) != nil, "\(output)")
    #expect(try renderHelmStyle("{{ \(function) 0 }}") == "")
    #expect(try renderHelmStyle("{{ \(function) 40 }}") != output)
  }

  @Test("randBytes is base64 of the requested number of bytes")
  func randomBytes() throws {
    let output = try renderHelmStyle("{{ randBytes 24 }}")
    #expect(Data(base64Encoded: output)?.count == 24)
    #expect(try renderHelmStyle("{{ randBytes 24 }}") != output)
  }

  @Test("randInt stays in [min, max) and rejects an empty range")
  func randomInt() throws {
    let values = try (0..<50).map { _ in Int(try renderHelmStyle("{{ randInt 3 6 }}"))! }
    #expect(values.allSatisfy { (3..<6).contains($0) })
    #expect(Set(values).count > 1)
    #expect(renderError("{{ randInt 5 5 }}")?.hasSuffix("invalid argument to Intn") == true)
  }

  @Test("shuffle permutes the characters")
  func shuffle() throws {
    let text = "abcdefghijklmnopqrstuvwxyz0123456789"
    let outputs = try (0..<5).map { _ in try renderHelmStyle("{{ shuffle \"\(text)\" }}") }
    for output in outputs { #expect(output.sorted() == text.sorted()) }
    #expect(Set(outputs).count > 1)
  }

  @Test("now is the current time.Time and date formats it")
  func now() throws {
    #expect(try renderHelmStyle("{{ typeOf now }} {{ kindOf now }}") == "time.Time struct")
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    let formatted = try renderHelmStyle("{{ now | date \"2006\" }}")
    #expect(Int(formatted).map { abs($0 - year) <= 1 } == true)
    let printed = try renderHelmStyle("{{ now }}")
    #expect(
      printed.range(
        of: #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \S+ m=\+\d+\.\d{9}$"#,
        options: .regularExpression) != nil, "\(printed)")
    let seconds = Int(try renderHelmStyle("{{ now.Unix }}"))!
    #expect(abs(seconds - Int(Date().timeIntervalSince1970)) < 5)
    #expect(
      try renderHelmStyle("{{ date \"2006\" .Values.f }}", values: ["f": 1.5]) == String(year))
  }

  @Test("ago measures from now, rounded to seconds")
  func ago() throws {
    let start = Int(Date().timeIntervalSince1970) - 3725
    let output = try renderHelmStyle("{{ ago (int \"\(start)\") }}")
    #expect(["1h2m5s", "1h2m6s", "1h2m4s"].contains(output), "\(output)")
    #expect(try renderHelmStyle("{{ ago now }}") == "0s")
    #expect(try renderHelmStyle("{{ durationRound (dateModify \"-49h\" now) }}") == "2d")
  }

  @Test("genPrivateKey writes PEM keys that openssl reads back")
  func privateKeys() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let ecdsa = try renderHelmStyle("{{ genPrivateKey \"ecdsa\" }}")
    #expect(ecdsa.hasPrefix("-----BEGIN EC PRIVATE KEY-----\n"))
    #expect(ecdsa.hasSuffix("-----END EC PRIVATE KEY-----\n"))
    let ecdsaCheck = try runOpenSSL([
      "ec", "-in", try writeFile(ecdsa, "ec.pem", in: directory), "-check", "-noout", "-text",
    ])
    #expect(
      ecdsaCheck.status == 0 && ecdsaCheck.output.contains("prime256v1"), "\(ecdsaCheck.output)")
    let ed25519 = try renderHelmStyle("{{ genPrivateKey \"ed25519\" }}")
    #expect(ed25519.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
    #expect(ed25519.hasSuffix("-----END PRIVATE KEY-----\n"))
    #expect(try renderHelmStyle("{{ genPrivateKey \"ed25519\" }}") != ed25519)
    let edCheck = try runOpenSSL([
      "pkey", "-in", try writeFile(ed25519, "ed.pem", in: directory), "-noout", "-text",
    ])
    #expect(edCheck.status == 0 && edCheck.output.contains("ED25519"), "\(edCheck.output)")
    let rsa = try renderHelmStyle("{{ genPrivateKey \"rsa\" }}")
    #expect(rsa.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
    #expect(rsa.hasSuffix("-----END RSA PRIVATE KEY-----\n"))
    let rsaCheck = try runOpenSSL([
      "rsa", "-in", try writeFile(rsa, "rsa.pem", in: directory), "-check", "-noout", "-text",
    ])
    #expect(
      rsaCheck.status == 0 && rsaCheck.output.contains("Private-Key: (4096 bit"),
      "\(rsaCheck.output)")
    #expect(renderError("{{ genPrivateKey \"dsa\" }}")?.contains("not supported") == true)
  }

  @Test("encryptAES output decrypts and differs each time (random IV)")
  func encryption() throws {
    let first = try renderHelmStyle("{{ encryptAES \"key\" \"secret\" }}")
    let second = try renderHelmStyle("{{ encryptAES \"key\" \"secret\" }}")
    #expect(first != second)
    #expect(Data(base64Encoded: first)?.count == 32)
    #expect(try renderHelmStyle("{{ decryptAES \"key\" \"\(first)\" }}") == "secret")
  }
}

@Suite("bcrypt and htpasswd")
struct BcryptTests {
  /// Hashes of "password" made by Sprig (Go's x/crypto/bcrypt) through Helm.
  static let goHashes = [
    "$2a$10$TiJXstIb9e.3Wx//iZmYSeI3qZLNrxuTkA49xwSXtKWJ5kRgKcvi.",
    "$2a$10$rlyFUWuHs4r5JLtJDsfPw.Qaz.QJOAcaiapR8l8J5qJ1Al7SBuM8C",
  ]

  @Test("hashing with a Go hash's salt reproduces the Go hash", arguments: goHashes)
  func matchesGo(hash: String) throws {
    #expect(try Bcrypt.hash("password", setting: hash) == hash)
    #expect(try Bcrypt.hash("Password", setting: hash) != hash)
  }

  @Test("bcrypt makes salted $2a$10$ hashes that verify")
  func fresh() throws {
    let first = try renderHelmStyle("{{ bcrypt \"s3cret\" }}")
    let second = try renderHelmStyle("{{ bcrypt \"s3cret\" }}")
    #expect(first.range(of: #"^\$2a\$10\$[./A-Za-z0-9]{53}$"#, options: .regularExpression) != nil)
    #expect(first != second)
    #expect(try Bcrypt.hash("s3cret", setting: first) == first)
    let long = String(repeating: "x", count: 73)
    #expect(
      try renderHelmStyle("{{ bcrypt \"\(long)\" }}")
        == "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes")
  }

  @Test("htpasswd is user:bcrypt and rejects a colon in the user")
  func htpasswd() throws {
    let line = try renderHelmStyle("{{ htpasswd \"admin\" \"pw\" }}")
    #expect(line.hasPrefix("admin:$2a$10$"))
    let hash = String(line.dropFirst("admin:".count))
    #expect(try Bcrypt.hash("pw", setting: hash) == hash)
    #expect(try renderHelmStyle("{{ htpasswd \"us:er\" \"p\" }}") == "invalid username: us:er")
  }
}
