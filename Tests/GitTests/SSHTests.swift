import Foundation
import TestSupport
import Testing

@testable import Git

@Suite("Fetching over SSH from OpenSSH's sshd")
struct SSHTests {
  @Test func fetchesWithAKeyAndAKnownHost() async throws {
    let sample = try SampleRepository()
    let server = try GitSSHServer(directory: sample.directory)
    defer { server.stop() }
    let mirror = try await GitRepository.mirror(
      of: server.url(sample.bare),
      credentials: GitCredentials(sshPrivateKey: server.clientKey, knownHosts: server.knownHosts),
      in: sample.mirrorDirectory())
    let result = try await mirror.fetch()
    #expect(result.update(of: "refs/heads/main")?.new?.hex == sample.second)
    #expect(try await mirror.resolve("v1-light").id.hex == sample.first)
  }

  @Test func fetchesWithAnEncryptedKeyAndItsPassphrase() async throws {
    let sample = try SampleRepository()
    let server = try GitSSHServer(directory: sample.directory)
    defer { server.stop() }
    let mirror = try await GitRepository.mirror(
      of: server.url(sample.bare),
      credentials: GitCredentials(
        sshPrivateKey: server.encryptedClientKey,
        sshPassphrase: server.encryptedClientKeyPassphrase, knownHosts: server.knownHosts),
      in: sample.mirrorDirectory())
    _ = try await mirror.fetch()
    #expect(try await mirror.resolve("main").id.hex == sample.second)
  }

  @Test func unknownHostKeyIsAnErrorNamingTheHostAndFingerprint() async throws {
    let sample = try SampleRepository()
    let server = try GitSSHServer(directory: sample.directory)
    defer { server.stop() }
    let emptyKnownHosts = sample.directory.file("empty_known_hosts").path
    try "".write(toFile: emptyKnownHosts, atomically: true, encoding: .utf8)
    let expectedFingerprint = try GitTestProcess.run(
      "/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", server.hostKeyFile]
    ).split(separator: " ")[1]
    let mirror = try await GitRepository.mirror(
      of: server.url(sample.bare),
      credentials: GitCredentials(sshPrivateKey: server.clientKey, knownHosts: emptyKnownHosts),
      in: sample.mirrorDirectory())
    await #expect(
      throws: GitError.unknownHostKey(
        host: "[127.0.0.1]:\(server.port)", keyType: "ssh-ed25519",
        fingerprint: String(expectedFingerprint), knownHosts: emptyKnownHosts)
    ) {
      try await mirror.fetch()
    }
    #expect(try await mirror.references().isEmpty)
  }

  @Test func changedHostKeyIsAMismatch() async throws {
    let sample = try SampleRepository()
    let server = try GitSSHServer(directory: sample.directory)
    defer { server.stop() }
    let otherKey = sample.directory.file("other_host_key").path
    try GitTestProcess.run(
      "/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey])
    let otherPublic = try String(contentsOfFile: otherKey + ".pub", encoding: .utf8)
      .split(separator: " ").prefix(2).joined(separator: " ")
    let knownHosts = sample.directory.file("stale_known_hosts").path
    try "[127.0.0.1]:\(server.port) \(otherPublic)\n".write(
      toFile: knownHosts, atomically: true, encoding: .utf8)
    let mirror = try await GitRepository.mirror(
      of: server.url(sample.bare),
      credentials: GitCredentials(sshPrivateKey: server.clientKey, knownHosts: knownHosts),
      in: sample.mirrorDirectory())
    do {
      _ = try await mirror.fetch()
      Issue.record("a changed host key was accepted")
    } catch {
      guard case .hostKeyMismatch(let host, _, _, _) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(host == "[127.0.0.1]:\(server.port)")
    }
  }

  @Test func unauthorisedKeyIsAnAuthenticationFailure() async throws {
    let sample = try SampleRepository()
    let server = try GitSSHServer(directory: sample.directory)
    defer { server.stop() }
    let strangerKey = sample.directory.file("stranger_key").path
    try GitTestProcess.run(
      "/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", strangerKey])
    let url = server.url(sample.bare)
    let mirror = try await GitRepository.mirror(
      of: url,
      credentials: GitCredentials(sshPrivateKey: strangerKey, knownHosts: server.knownHosts),
      in: sample.mirrorDirectory())
    await #expect(
      throws: GitError.authenticationFailed(
        url: try RemoteURL(url).url, method: "SSH key \(strangerKey)")
    ) {
      try await mirror.fetch()
    }
  }

  @Test func noKnownHostsFileIsRefused() async throws {
    let sample = try SampleRepository()
    let server = try GitSSHServer(directory: sample.directory)
    defer { server.stop() }
    let mirror = try await GitRepository.mirror(
      of: server.url(sample.bare), credentials: GitCredentials(sshPrivateKey: server.clientKey),
      in: sample.mirrorDirectory())
    await #expect(throws: GitError.knownHostsMissing(host: "[127.0.0.1]:\(server.port)")) {
      try await mirror.fetch()
    }
  }
}
