import Foundation
import TestSupport
import Testing

@testable import Git

@Suite("known_hosts matching")
struct KnownHostsTests {
  /// A host key made by ssh-keygen, as the known_hosts line fields and the decoded key blob.
  private func makeKey(in directory: TemporaryDirectory, _ name: String) throws -> (
    line: String, blob: [UInt8]
  ) {
    let file = directory.file(name).path
    try GitTestProcess.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file])
    let fields = try String(contentsOfFile: file + ".pub", encoding: .utf8).split(separator: " ")
    return ("\(fields[0]) \(fields[1])", Array(Data(base64Encoded: String(fields[1]))!))
  }

  @Test func matchesPlainWildcardAndPortEntries() throws {
    let directory = try TemporaryDirectory(prefix: "tripgen-git")
    let key = try makeKey(in: directory, "k1")
    let other = try makeKey(in: directory, "k2")
    let path = directory.file("known_hosts").path
    try """
    # comment
    github.example,10.0.0.1 \(key.line)
    *.internal.example,!bad.internal.example \(key.line)
    [127.0.0.1]:2222 \(key.line)
    """.write(toFile: path, atomically: true, encoding: .utf8)
    let knownHosts = try KnownHosts(path: path)
    #expect(knownHosts.verdict(name: "github.example", key: key.blob) == .trusted)
    #expect(knownHosts.verdict(name: "git.internal.example", key: key.blob) == .trusted)
    #expect(knownHosts.verdict(name: "bad.internal.example", key: key.blob) == .unknown)
    #expect(knownHosts.verdict(name: "[127.0.0.1]:2222", key: key.blob) == .trusted)
    #expect(knownHosts.verdict(name: "127.0.0.1", key: key.blob) == .unknown)
    #expect(knownHosts.verdict(name: "github.example", key: other.blob) == .mismatch)
    #expect(KnownHosts.lookupName(host: "h", port: 22) == "h")
    #expect(KnownHosts.lookupName(host: "h", port: 2222) == "[h]:2222")
    #expect(KnownHosts.keyType(ofBlob: key.blob) == "ssh-ed25519")
  }

  @Test func matchesEntriesHashedBySSHKeygen() throws {
    let directory = try TemporaryDirectory(prefix: "tripgen-git")
    let key = try makeKey(in: directory, "k1")
    let path = directory.file("known_hosts").path
    try "[git.example]:2222 \(key.line)\nplain.example \(key.line)\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    try GitTestProcess.run("/usr/bin/ssh-keygen", ["-H", "-f", path])
    let hashed = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!hashed.contains("git.example"))
    let knownHosts = try KnownHosts(path: path)
    #expect(knownHosts.verdict(name: "[git.example]:2222", key: key.blob) == .trusted)
    #expect(knownHosts.verdict(name: "plain.example", key: key.blob) == .trusted)
    #expect(knownHosts.verdict(name: "other.example", key: key.blob) == .unknown)
  }

  @Test func revokedKeysAreRefused() throws {
    let directory = try TemporaryDirectory(prefix: "tripgen-git")
    let key = try makeKey(in: directory, "k1")
    let path = directory.file("known_hosts").path
    try "host.example \(key.line)\n@revoked * \(key.line)\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    #expect(try KnownHosts(path: path).verdict(name: "host.example", key: key.blob) == .revoked)
  }

  @Test func sha1MatchesKnownVectors() {
    let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
    #expect(hex(SHA1.hash(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    #expect(
      hex(
        SHA1.hmac(
          key: Array("key".utf8), message: Array("The quick brown fox jumps over the lazy dog".utf8)
        ))
        == "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9")
  }
}
