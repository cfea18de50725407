import Controller
import Environments
import Foundation
import Kube
import TestSupport
import Testing
import YAML

/// The `tripgen controller` process itself (the debug build beside the tests), killed and stopped
/// the hard ways: crash-only restarts converge, SIGTERM stops between two applies and releases the
/// lease.
@Suite(.serialized) struct ControllerProcessTests {
  static let binary = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".build/debug/tripgen").path

  /// One controller process against the fixture's Git server and API server.
  final class ControllerProcess {
    let process = Process()
    let port: Int

    init(_ fixture: ControllerFixture, leaderElection: Bool = false) throws {
      port = try FreePort.pick()
      let directory = fixture.directory
      let kubeconfig = directory.file("kubeconfig")
      try """
      apiVersion: v1
      kind: Config
      clusters: [{name: test, cluster: {server: "\(fixture.kube.url)"}}]
      users: [{name: test, user: {}}]
      contexts: [{name: test, context: {cluster: test, user: test, namespace: \(ControllerFixture.namespace)}}]
      current-context: test

      """.write(to: kubeconfig, atomically: true, encoding: .utf8)
      try "s3cret-pass\n".write(
        to: directory.file("git-token"), atomically: true, encoding: .utf8)
      try "webhook-secret\n".write(
        to: directory.file("webhook"), atomically: true, encoding: .utf8)
      process.executableURL = URL(fileURLWithPath: ControllerProcessTests.binary)
      process.arguments =
        [
          "controller", "--env", "test", "--repo-url", fixture.repositoryURL,
          "--git-username", "git",
          "--git-token-file", directory.file("git-token").path, "--webhook-secret-file",
          directory.file("webhook").path, "--address", "127.0.0.1", "--port", String(port),
          "--kubeconfig", kubeconfig.path, "--mirror-dir", directory.file("mirror").path,
          "--identity", "process", "--shutdown-timeout", "5", "--log-level", "notice",
          "--log-format", "json",
        ] + (leaderElection ? [] : ["--no-leader-election"])
      let log = directory.file("controller.log").path
      if !FileManager.default.fileExists(atPath: log) {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
      }
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
      handle.seekToEndOfFile()
      process.standardError = handle
      process.standardOutput = handle
      try process.run()
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to exit; nil when it is still running after `timeout`.
    func exitStatus(within timeout: Duration) async -> Int32? {
      let deadline = ContinuousClock.now + timeout
      while process.isRunning, ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(20))
      }
      return process.isRunning ? nil : process.terminationStatus
    }
  }

  @Test func sigkillAtTwentyRandomPointsThenARestartConverges() async throws {
    let fixture = try await ControllerFixture()
    // Every apply takes a while, so that kills land in the middle of syncs.
    fixture.kube.inject(.delay(0.04), method: "PATCH", count: 100_000)
    var last = ""
    var rng = SystemRandomNumberGenerator()
    for round in 1...20 {
      last = try fixture.commit(greeting: "round-\(round)", replicas: round % 3 + 1)
      let controller = try ControllerProcess(fixture)
      try await Task.sleep(for: .milliseconds(Int.random(in: 50...1500, using: &rng)))
      controller.signal(SIGKILL)
      #expect(await controller.exitStatus(within: .seconds(5)) != nil)
    }
    let controller = try ControllerProcess(fixture)
    func syncedRevision() async -> String? {
      let response = try? await KubeHTTPTransport().send(
        KubeRequest(
          method: "GET", url: "http://127.0.0.1:\(controller.port)/api/v1/environments/test",
          headers: [], body: nil))
      guard let response, response.status == 200 else { return nil }
      let decoder = JSONDecoder()
      decoder.dateDecodingStrategy = .iso8601
      return try? decoder.decode(ControlledEnvironment.self, from: Data(response.body))
        .syncedRevision
    }
    #expect(await fixture.waitUntil(.seconds(30)) { await syncedRevision() == last })
    #expect(fixture.liveGreeting() == "round-20")
    #expect(
      fixture.liveObject("apps/v1", "Deployment", "web")?["spec"]?["replicas"]?.intValue == 3)
    // Each object exactly once, owned by the environment, and nothing else carries its marks.
    for (apiVersion, kind) in [
      ("v1", "ConfigMap"), ("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"),
    ] {
      let listed = try await fixture.client.listAll(
        fixture.client.resource(apiVersion: apiVersion, kind: kind),
        labelSelector: TrackingMarks.selector(environment: "test"))
      #expect(listed.items.count == 1, "\(kind)")
      #expect(listed.items.allSatisfy { TrackingMarks.isOwned($0, by: "test") })
    }
    controller.signal(SIGTERM)
    #expect(await controller.exitStatus(within: .seconds(10)) == 0)
    await fixture.shutdown()
  }

  @Test func sigtermStopsBetweenTwoWritesAndReleasesTheLease() async throws {
    let fixture = try await ControllerFixture()
    // Each write takes 0.6 s: the sync (three server-side dry runs, the inventory, three applies)
    // is still running when SIGTERM arrives during the first object's apply.
    fixture.kube.inject(.delay(0.6), method: "PATCH", count: 100_000)
    let controller = try ControllerProcess(fixture, leaderElection: true)
    let isApply: @Sendable (KubeAPIServer.LoggedRequest) -> Bool = {
      $0.method == "PATCH" && $0.query["dryRun"] == nil && !$0.path.contains("/events")
    }
    #expect(
      await fixture.waitUntil(.seconds(20)) {
        fixture.kube.requestLog.contains { isApply($0) && $0.path.contains("/configmaps/greeting") }
      })
    controller.signal(SIGTERM)
    let stopped = ContinuousClock.now
    #expect(await controller.exitStatus(within: .seconds(5)) == 0)
    #expect(ContinuousClock.now - stopped < .seconds(3))
    // The engine abandons the apply in flight (the object is applied or untouched, never half
    // written) and starts none after it; the history records the sync as cancelled.
    let history = fixture.liveObject("v1", "ConfigMap", "tripgen-history-test")
    #expect(history?["data"]?["history.json"]?.stringValue?.contains("Cancelled") == true)
    let applies = fixture.kube.requestLog.filter(isApply).map(\.path)
    #expect(
      !applies.contains { $0.contains("/deployments/") || $0.contains("/statefulsets/") },
      "\(applies)")
    let lease = try #require(
      fixture.kube.object(
        apiVersion: "coordination.k8s.io/v1", kind: "Lease",
        namespace: ControllerFixture.namespace, name: "tripgen-controller"))
    #expect(lease["spec"]?["holderIdentity"]?.stringValue == "")
    // The log: one JSON object per line, the shutdown in it, no secret anywhere.
    let log = try String(contentsOf: fixture.directory.file("controller.log"), encoding: .utf8)
    let lines = log.split(separator: "\n")
    #expect(!lines.isEmpty)
    for line in lines {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
      #expect(object?["level"] != nil && object?["message"] != nil, "\(line)")
    }
    #expect(log.contains(#""message":"shutting down""#))
    #expect(log.contains(#""message":"released the lease""#))
    #expect(!log.contains("s3cret-pass") && !log.contains("webhook-secret"))
    await fixture.shutdown()
  }

  @Test func envSleepAndWakeByHandScaleDeploymentsOnly() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start()
    #expect(await fixture.waitUntil { await fixture.status()?.status.sync == .synced })
    await fixture.stop()
    let kubeconfig = fixture.directory.file("kubeconfig-env")
    try """
    apiVersion: v1
    kind: Config
    clusters: [{name: test, cluster: {server: "\(fixture.kube.url)"}}]
    users: [{name: test, user: {}}]
    contexts: [{name: test, context: {cluster: test, user: test}}]
    current-context: test

    """.write(to: kubeconfig, atomically: true, encoding: .utf8)
    func tripgen(_ verb: String) throws -> Command.Result {
      try Command.run([
        ControllerProcessTests.binary, "env", verb, "--env", "test", "--repo", fixture.work.path,
        "--kubeconfig", kubeconfig.path,
      ])
    }
    func replicas(_ kind: String, _ name: String) -> Int? {
      fixture.liveObject("apps/v1", kind, name)?["spec"]?["replicas"]?.intValue
    }
    let slept = try tripgen("sleep")
    #expect(slept.succeeded, "\(slept.standardError)")
    #expect(slept.standardOutput.contains("deployment.apps/web scaled to 0"))
    #expect(replicas("Deployment", "web") == 0)
    #expect(replicas("StatefulSet", "db") == 1)
    let marker = try #require(
      fixture.kube.object(
        apiVersion: "v1", kind: "ConfigMap", namespace: ControllerFixture.namespace,
        name: "tripgen-sleep-test"))
    #expect(marker["data"]?["asleep"]?.stringValue == "true")
    #expect(!TrackingMarks.isOwned(marker, by: "test"))
    let woke = try tripgen("wake")
    #expect(woke.succeeded, "\(woke.standardError)")
    #expect(woke.standardOutput.contains("deployment.apps/web scaled up (replicas 2)"))
    #expect(replicas("Deployment", "web") == 2)
    await fixture.shutdown()
  }
}
