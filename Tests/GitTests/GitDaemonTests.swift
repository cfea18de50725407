import Foundation
import TestSupport
import Testing

@testable import Git

@Suite("Fetching over git:// from git daemon")
struct GitDaemonTests {
  @Test func mirrorsAndFetchesIncrementally() async throws {
    let sample = try SampleRepository()
    let daemon = try GitDaemonServer(root: sample.servedRoot, logDirectory: sample.directory)
    defer { daemon.stop() }
    let mirror = try await GitRepository.mirror(
      of: daemon.url("sample.git"), in: sample.mirrorDirectory())
    let first = try await mirror.fetch()
    #expect(first.update(of: "refs/heads/main")?.new?.hex == sample.second)
    #expect(try await mirror.resolve("v1").id.hex == sample.first)

    try sample.work.write("charts/app/values.yaml", "replicas: 4\n")
    let third = try sample.work.commitAll("Scale to four")
    try sample.work.push()
    let second = try await mirror.fetch()
    #expect(second.updates.map(\.name) == ["refs/heads/main"])
    #expect(second.update(of: "refs/heads/main")?.new?.hex == third)
    let values = try await mirror.file(
      "charts/app/values.yaml", at: try #require(ObjectID(hex: third)))
    #expect(String(decoding: values, as: UTF8.self) == "replicas: 4\n")
  }

  @Test func missingRepositoryIsAnErrorNamingTheURL() async throws {
    let sample = try SampleRepository()
    let daemon = try GitDaemonServer(root: sample.servedRoot, logDirectory: sample.directory)
    defer { daemon.stop() }
    let url = daemon.url("does-not-exist.git")
    let mirror = try await GitRepository.mirror(of: url, in: sample.mirrorDirectory())
    do {
      _ = try await mirror.fetch()
      Issue.record("fetching a missing repository succeeded")
    } catch {
      #expect(error.description.hasPrefix("fetching \(url): "))
    }
  }
}
