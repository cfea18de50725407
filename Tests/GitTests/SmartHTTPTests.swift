import Foundation
import TestSupport
import Testing

@testable import Git

@Suite("Fetching over smart HTTP with basic authentication (nginx + fcgiwrap + git http-backend)")
struct SmartHTTPTests {
  static let password = "s3cret-t0ken-value"

  @Test func fetchesWithUsernameAndPassword() async throws {
    let sample = try SampleRepository()
    let server = try GitHTTPServer(
      root: sample.servedRoot, username: "deployer", password: Self.password,
      directory: sample.directory)
    defer { server.stop() }
    let mirror = try await GitRepository.mirror(
      of: server.url("sample.git"),
      credentials: GitCredentials(username: "deployer", password: Self.password),
      in: sample.mirrorDirectory())
    let result = try await mirror.fetch()
    #expect(result.update(of: "refs/heads/main")?.new?.hex == sample.second)
    #expect(try await mirror.resolve("v1").id.hex == sample.first)
  }

  @Test func credentialsInTheURLAreUsedButNotStored() async throws {
    let sample = try SampleRepository()
    let server = try GitHTTPServer(
      root: sample.servedRoot, username: "deployer", password: Self.password,
      directory: sample.directory)
    defer { server.stop() }
    let url = server.url("sample.git").replacing(
      "http://", with: "http://deployer:\(Self.password)@")
    let mirror = try await GitRepository.mirror(of: url, in: sample.mirrorDirectory())
    #expect(mirror.displayName == server.url("sample.git"))
    _ = try await mirror.fetch()
    #expect(try await mirror.resolve("main").id.hex == sample.second)
    let config = try String(contentsOfFile: sample.mirrorDirectory() + "/config", encoding: .utf8)
    #expect(!config.contains(Self.password))
  }

  @Test func wrongPasswordIsAnAuthenticationFailureWithoutTheSecret() async throws {
    let sample = try SampleRepository()
    let server = try GitHTTPServer(
      root: sample.servedRoot, username: "deployer", password: Self.password,
      directory: sample.directory)
    defer { server.stop() }
    let url = server.url("sample.git")
    let wrong = "wrong-secret-value"
    let mirror = try await GitRepository.mirror(
      of: url, credentials: .token(wrong, username: "deployer"), in: sample.mirrorDirectory())
    await #expect(
      throws: GitError.authenticationFailed(url: url, method: "username and password")
    ) {
      try await mirror.fetch()
    }
    do {
      _ = try await mirror.fetch()
    } catch {
      #expect(!error.description.contains(wrong))
      #expect(error.description.hasPrefix("fetching \(url): authentication failed"))
    }
  }

  @Test func missingCredentialsAreReportedAsRequired() async throws {
    let sample = try SampleRepository()
    let server = try GitHTTPServer(
      root: sample.servedRoot, username: "deployer", password: Self.password,
      directory: sample.directory)
    defer { server.stop() }
    let url = server.url("sample.git")
    let mirror = try await GitRepository.mirror(of: url, in: sample.mirrorDirectory())
    await #expect(throws: GitError.authenticationRequired(url: url)) {
      try await mirror.fetch()
    }
  }
}

@Suite("Fetching over HTTPS with a custom CA file")
struct HTTPSTests {
  /// One test, in order: libgit2's CA configuration is process-wide, so the untrusted attempt must
  /// come before the CA file is set.
  @Test func certificateIsRefusedUntilTheCAFileIsGiven() async throws {
    let sample = try SampleRepository()
    let certificates = try GitTestCertificates(directory: sample.directory)
    let server = try GitHTTPServer(
      root: sample.servedRoot, username: "deployer", password: SmartHTTPTests.password,
      directory: sample.directory, certificates: certificates)
    defer { server.stop() }
    let url = server.url("sample.git")
    #expect(url.hasPrefix("https://"))

    let untrusted = try await GitRepository.mirror(
      of: url, credentials: .token(SmartHTTPTests.password, username: "deployer"),
      in: sample.mirrorDirectory("untrusted"))
    do {
      _ = try await untrusted.fetch()
      Issue.record("a certificate from an unknown CA was accepted")
    } catch {
      #expect(error.description.hasPrefix("fetching \(url): "))
      #expect(!error.description.contains(SmartHTTPTests.password))
    }

    var credentials = GitCredentials.token(SmartHTTPTests.password, username: "deployer")
    credentials.certificateAuthorityFile = certificates.authorityCertificate
    let mirror = try await GitRepository.mirror(
      of: url, credentials: credentials, in: sample.mirrorDirectory())
    let result = try await mirror.fetch()
    #expect(result.update(of: "refs/heads/main")?.new?.hex == sample.second)

    // A second, different CA file in the same process is refused rather than silently swapped in.
    credentials.certificateAuthorityFile = sample.directory.file("other-ca.pem").path
    await #expect(throws: GitError.self) {
      try await GitRepository.mirror(
        of: url, credentials: credentials, in: sample.mirrorDirectory("x"))
    }
  }
}
