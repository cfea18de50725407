import Foundation
import TestSupport
import Testing

@testable import Git

/// Runs the built `tripgen` executable, which SwiftPM puts next to the test bundle.
private func tripgen(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
  let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    .deletingLastPathComponent()
  let executable = directory.appendingPathComponent("tripgen").path
  guard FileManager.default.isExecutableFile(atPath: executable) else {
    throw GitTestSupportError.missingTool(executable, hint: "build the package first (swift build)")
  }
  return try GitTestProcess.run(executable, arguments, environment: environment)
}

@Suite("tripgen source commands")
struct SourceCommandTests {
  @Test func readsALocalRepositoryInPlace() throws {
    let sample = try SampleRepository()
    let repo = ["--repo", sample.work.path]
    #expect(
      try tripgen(["source", "revision"] + repo + ["--revision", "v1"]) == sample.first + "\n")
    #expect(
      try tripgen(["source", "revision"] + repo + ["--revision", String(sample.second.prefix(8))])
        == sample.second + "\n")
    let changed = try tripgen(["source", "changed"] + repo + ["v1", "main"])
    #expect(
      Set(changed.split(separator: "\n")) == [
        "bin/run.sh", "charts/app/values.yaml", "charts/app/templates/deployment.yaml",
        "charts/app/templates/deploy.yaml", "services/api/main.swift",
      ])
    #expect(
      try tripgen(["source", "cat"] + repo + ["--revision", "main", SampleRepository.unusualPath])
        == "unusual\n")
    // --ref, the old spelling of --revision, still works for one release.
    let tree = try tripgen(["source", "tree"] + repo + ["--ref", "main", "charts/app"])
    #expect(tree == (try sample.work.git("rev-parse", "main:charts/app")) + "\n")
  }

  @Test func mirrorsARemoteIntoTheCacheAndPrintsJSON() throws {
    let sample = try SampleRepository()
    let cache = sample.directory.file("cache").path
    let output = try tripgen([
      "source", "revision", "--repo-url", "file://" + sample.bare, "--cache-dir", cache,
      "--revision", "main", "--output", "json",
    ])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    #expect(json["id"] as? String == sample.second)
    #expect(json["message"] as? String == "Second commit\n")
    #expect((json["author"] as? [String: Any])?["name"] as? String == "Ada Tester")
    let mirrors = try FileManager.default.contentsOfDirectory(atPath: cache)
    #expect(mirrors.count == 1)
    #expect(mirrors.first?.hasPrefix("file-") == true)
  }

  @Test func errorsNameTheRepositoryButNeverTheSecret() throws {
    let sample = try SampleRepository()
    let server = try GitHTTPServer(
      root: sample.servedRoot, username: "deployer", password: "right-password",
      directory: sample.directory)
    defer { server.stop() }
    let secret = "wrong-password-value"
    do {
      _ = try tripgen(
        [
          "source", "revision", "--repo-url", server.url("sample.git"), "--username", "deployer",
          "--password-env", "TRIPGEN_TEST_PASSWORD", "--cache-dir", sample.directory.file("c").path,
        ], environment: ["TRIPGEN_TEST_PASSWORD": secret])
      Issue.record("a wrong password was accepted")
    } catch let failure as Command.Failure {
      let output = failure.result.standardOutput + failure.result.standardError
      #expect(failure.result.status != 0)
      #expect(output.contains("fetching \(server.url("sample.git")): authentication failed"))
      #expect(!output.contains(secret))
    }
  }
}
