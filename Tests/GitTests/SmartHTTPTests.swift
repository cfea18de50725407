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
