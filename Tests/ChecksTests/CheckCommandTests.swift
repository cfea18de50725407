import Foundation
import TestSupport
import Testing

/// `tripgen check` and `tripgen render` as a user runs them, in a Git repository.
@Suite struct CheckCommandTests {
  @Test func checkPassesOnDevAndFailsWhenTheWorkingTreeBreaksIt() async throws {
    let fixture = try CommandFixture()
    let pass = try await fixture.tripgen(["check", "--env", "dev"])
    #expect(pass.succeeded, "\(pass.standardOutput)\(pass.standardError)")
    #expect(pass.standardOutput.contains("Capacity (requests must fit; limits may overcommit):"))
    #expect(pass.standardOutput.contains("  total  "))
    #expect(pass.standardOutput.contains("PASS: 1 warning"))

    let json = try await fixture.tripgen(["check", "--env", "dev", "--output", "json"])
    let report =
      try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
    #expect(report?["environment"] as? String == "dev")
    #expect((report?["findings"] as? [Any])?.count == 1)
    #expect(report?["passed"] as? Bool == true)
    let capacity = report?["capacity"] as? [String: Any]
    #expect((capacity?["cpuHeadroom"] as? Double).map { abs($0 - 2.35) < 1e-9 } == true)
    #expect((report?["cost"] as? [String: Any])?["scheduledTotal"] as? Double != nil)

    try fixture.write(
      "environments/dev/values.yaml",
      try fixture.read("environments/dev/values.yaml").replacingOccurrences(
        of: "requests: {cpu: 300m, memory: 512Mi}\n    limits: {cpu: 1500m, memory: 1Gi}",
        with: "requests: {cpu: 3, memory: 512Mi}\n    limits: {cpu: 3, memory: 1Gi}"))
    let fail = try await fixture.tripgen(["check", "--env", "dev", "--local"])
    #expect(fail.status == 1)
    #expect(fail.standardOutput.contains("[capacity] error: Deployment tripgen-dev/ai-service"))
    #expect(fail.standardOutput.contains("FAIL: 2 errors"), "\(fail.standardOutput)")
    // The commit is still right: every verb reads HEAD unless told otherwise, and says what it
    // leaves out.
    let committed = try await fixture.tripgen(["check", "--env", "dev"])
    #expect(committed.succeeded, "\(committed.standardOutput)")
    #expect(
      committed.standardError.contains(
        "uncommitted changes to environments/dev/values.yaml are not included (--local reads the working tree)"
      ), "\(committed.standardError)")
    let named = try await fixture.tripgen(["check", "--env", "dev", "--revision", "HEAD"])
    #expect(named.succeeded, "\(named.standardOutput)")
  }

  @Test func anUnknownEnvironmentIsNamed() async throws {
    let fixture = try CommandFixture()
    let result = try await fixture.tripgen(["check", "--env", "prod"])
    #expect(!result.succeeded)
    #expect(result.standardError.contains("environment \"prod\" not found"))
    #expect(result.standardError.contains("dev, local"))
  }

  @Test func renderPrintsWhatTheEngineAppliesWithDigestsFromTheLayout() async throws {
    let fixture = try CommandFixture()
    let offline = try await fixture.tripgen(["render", "--env", "local"])
    #expect(offline.succeeded, "\(offline.standardError)")
    let tag = try #require(
      offline.standardError.split(separator: "\n").first { $0.hasPrefix("image user-service:") }?
        .split(separator: " ")[2].split(separator: ":").last.map(String.init))
    #expect(tag.hasPrefix("src-"))
    #expect(offline.standardError.contains("(by tag: not in the registry yet)"))
    #expect(offline.standardOutput.contains("image: user-service:\(tag)\n"))
    #expect(
      offline.standardOutput.contains(
        "tripgen.io/tracking-id: local:apps/Deployment:tripgen-local/user-service"))
    #expect(
      offline.standardOutput.contains(
        "# Source: tripgen/charts/user-service/templates/deployment.yaml"))

    // Once the layout has user-service's tag, it is pinned by digest.
    let digest = try LayoutTestImage.write(
      layout: fixture.root + "/.tripgen/images", tag: tag, label: "user-service")
    let built = try await fixture.tripgen(["render", "--env", "local"])
    #expect(built.standardOutput.contains("image: user-service@\(digest)\n"))
    #expect(built.standardError.contains("image user-service: user-service@\(digest) (tag \(tag))"))

    // An uncommitted change to a source path is said; the tag stays HEAD's.
    try fixture.write("Sources/UserAPI/UserAPI.swift", "// edited\n")
    let edited = try await fixture.tripgen(["render", "--env", "local", "--local"])
    #expect(
      edited.standardError.contains("note: user-service: uncommitted changes in Sources/UserAPI"))
    #expect(edited.standardOutput.contains("image: user-service@\(digest)\n"))

    // A commit renders as the working tree does when nothing is changed but the sources.
    let committed = try await fixture.tripgen(["render", "--env", "local", "--revision", "main"])
    #expect(committed.standardOutput == built.standardOutput)
    #expect(!committed.standardError.contains("uncommitted"))

    let directory = fixture.directory.file("out").path
    let files = try await fixture.tripgen([
      "render", "--env", "local", "--output-dir", directory, "--offline",
    ])
    #expect(files.succeeded, "\(files.standardError)")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory)
    #expect(names.contains("deployment.apps_tripgen-local_user-service.yaml"))
    #expect(names.contains("service_tripgen-local_redis.yaml"))
    #expect(names.count == offline.standardOutput.components(separatedBy: "\n---\n").count)

    // Rendered again without Redis: its files go, a file of someone else's stays.
    try "kept: true\n".write(
      toFile: directory + "/notes.yaml", atomically: true, encoding: .utf8)
    try fixture.write(
      "environments/local/values.yaml",
      try fixture.read("environments/local/values.yaml") + "\nredis:\n  enabled: false\n")
    // -o DIR, the old spelling, still works for one release, with a note.
    let again = try await fixture.tripgen([
      "render", "--env", "local", "-o", directory, "--offline", "--local",
    ])
    #expect(again.succeeded, "\(again.standardError)")
    #expect(again.standardError.contains("note: -o is deprecated"))
    let remaining = try FileManager.default.contentsOfDirectory(atPath: directory)
    #expect(!remaining.contains("service_tripgen-local_redis.yaml"))
    #expect(!remaining.contains("statefulset.apps_tripgen-local_redis.yaml"))
    #expect(remaining.contains("notes.yaml"))
    #expect(remaining.contains("deployment.apps_tripgen-local_user-service.yaml"))
  }

  @Test func envSchemaPrintsTheSchema() async throws {
    let fixture = try CommandFixture()
    let result = try await fixture.tripgen(["env", "schema"])
    #expect(result.standardOutput == (try fixture.read("environments/environment.schema.json")))
  }
}
