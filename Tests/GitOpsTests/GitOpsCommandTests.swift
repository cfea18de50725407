import Dispatch
import Foundation
import GitOps
import TestSupport
import Testing
import YAML

/// Runs the built `tripgen` executable (next to the test bundle) on a Dispatch thread, so waiting
/// for it does not hold a thread of the cooperative pool the in-process server needs.
func tripgen(_ arguments: [String], environment: [String: String] = [:]) async throws
  -> Command.Result
{
  let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    .deletingLastPathComponent()
  let executable = directory.appendingPathComponent("tripgen").path
  #expect(FileManager.default.isExecutableFile(atPath: executable), "build the package first")
  return try await withCheckedThrowingContinuation { continuation in
    DispatchQueue.global().async {
      continuation.resume(
        with: Result { try Command.run([executable] + arguments, environment: environment) })
    }
  }
}

/// `tripgen diff|sync|status|history|rollback` against the test API server through a kubeconfig.
@Suite struct GitOpsCommandTests {
  static func kubeconfig(_ fixture: GitOpsFixture) throws -> String {
    let path = fixture.directory.file("kubeconfig").path
    try """
    current-context: test
    clusters: [{name: test, cluster: {server: "\(fixture.server.url)"}}]
    users: [{name: test, user: {}}]
    contexts: [{name: test, context: {cluster: test, user: test, namespace: app-test}}]

    """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func diffSyncStatusAndHistoryFromTheCommandLine() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    let common = [
      "--env", "test", "--repo", fixture.repository.path, "--kubeconfig",
      try Self.kubeconfig(fixture), "--image",
      "web=registry.test:5000/web:src-1@\(GitOpsFixture.digest)",
    ]

    let diff = try await tripgen(["diff"] + common)
    #expect(diff.status == 1, "\(diff.standardError)")
    #expect(diff.standardOutput.contains("===== /ConfigMap:app-test/settings (create)"))
    #expect(diff.standardOutput.contains("+  greeting: hello"), "\(diff.standardOutput)")

    let sync = try await tripgen(["sync", "--wait", "--timeout", "20s"] + common)
    #expect(sync.status == 0, "\(sync.standardOutput)\(sync.standardError)")
    #expect(sync.standardOutput.contains("  created ConfigMap app-test/settings"))
    #expect(sync.standardOutput.contains("  healthy Deployment app-test/web"))
    #expect(sync.standardOutput.contains("4 applied, 0 pruned (history #1)"))

    let clean = try await tripgen(["diff"] + common)
    #expect(clean.status == 0, "\(clean.standardOutput)\(clean.standardError)")
    #expect(clean.standardOutput.isEmpty)

    let status = try await tripgen(["status", "--output", "json"] + common)
    #expect(status.status == 0, "\(status.standardError)")
    let report = try JSONDecoder().decode(
      EnvironmentStatus.self, from: Data(status.standardOutput.utf8))
    #expect(report.sync == .synced)
    #expect(report.health.status == .healthy)
    #expect(report.objects.count == 4)
    #expect(report.lastSync?.id == 1)

    let history = try await tripgen(["history"] + common)
    #expect(history.standardOutput.contains("#1   Succeeded"), "\(history.standardOutput)")

    // A change shows as a unified diff and exits 1.
    try fixture.repository.write("environments/test/values.yaml", "greeting: bye\n")
    try fixture.repository.commitAll("bye")
    let changed = try await tripgen(["diff"] + common)
    #expect(changed.status == 1)
    #expect(changed.standardOutput.contains("-  greeting: hello\n+  greeting: bye"))

    // Sync the change, then roll back to the first sync: its revision and its digests again.
    let second = try await tripgen(["sync"] + common)
    #expect(second.status == 0, "\(second.standardError)")
    #expect(
      fixture.object("v1", "ConfigMap", "settings")?["data"]?["greeting"]?.stringValue == "bye")
    let rollback = try await tripgen(["rollback", "1"] + common)
    #expect(rollback.status == 0, "\(rollback.standardOutput)\(rollback.standardError)")
    #expect(rollback.standardOutput.contains("(history #3)"), "\(rollback.standardOutput)")
    #expect(
      fixture.object("v1", "ConfigMap", "settings")?["data"]?["greeting"]?.stringValue == "hello")
    let entries = try await fixture.engine.history(of: try await fixture.desired().environment)
      .entries()
    #expect(entries.last?.trigger.hasPrefix("rollback to #1") == true)

    // A broken environment is exit 2 with the reason on standard error.
    let broken = try await tripgen(["diff", "--env", "nosuch"] + common.dropFirst(2))
    #expect(broken.status == 2)
    #expect(broken.standardError.contains("environment \"nosuch\" not found"))
  }

  @Test func rollbackIsRefusedWhileAutomatedSyncIsOn() async throws {
    let fixture = try await GitOpsFixture(
      syncPolicy: "{automated: true, prune: true, selfHeal: true}", withHook: false)
    defer { Task { await fixture.stop() } }
    let result = try await tripgen([
      "rollback", "--env", "test", "--repo", fixture.repository.path, "--kubeconfig",
      try Self.kubeconfig(fixture),
    ])
    #expect(result.status != 0)
    #expect(result.standardError.contains("automated sync on"), "\(result.standardError)")
    #expect(result.standardError.contains("--force"))
  }
}
