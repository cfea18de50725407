import Environments
import Foundation
import GitOps
import Kube
import TestSupport
import Testing
import YAML

/// The repository's own chart and dev environment, synced into the test API server.
@Suite struct RealChartSyncTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  @Test func theDevEnvironmentSyncsAndASecondSyncWritesNothing() async throws {
    let server = try await KubeAPIServer()
    var configuration = KubeClientConfiguration(server: server.url, namespace: "tripgen-dev")
    configuration.queriesPerSecond = 0
    let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    let controllers = SimulatedControllers(server: server, client: client, namespace: "tripgen-dev")
    defer {
      Task {
        await controllers.stop()
        await server.stop()
      }
    }
    _ = try await client.create([
      "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "tripgen-dev"],
    ])
    controllers.start()
    let files = DirectorySourceFiles(root: Self.root)
    let environment = try EnvironmentLoader.load(name: "dev", from: files)
    let bindings = environment.spec.images.map {
      ImageBinding(
        name: $0.name, registry: environment.spec.registry.host, repository: $0.repositoryName,
        tag: "src-1", digest: "sha256:" + String(repeating: "0f", count: 32))
    }
    let desired = try EnvironmentRenderer().render(
      try EnvironmentLoader.load(name: "dev", from: files), files: files, revision: .test,
      images: bindings)
    let engine = GitOpsEngine(client: client)

    let result = try await engine.sync(desired, options: GitOpsFixture.options())
    #expect(result.outcome == .succeeded)
    let resources = result.plan.objects.filter { $0.hook == nil }
    let hooks = result.plan.objects.filter { $0.hook != nil }
    #expect(resources.count == desired.objects.count - hooks.count - result.plan.skipped.count)
    #expect(hooks.allSatisfy { $0.order.phase == .postSync })
    // Every resource is in the cluster, marked as the environment's.
    for object in resources {
      let resource = try await client.resource(
        apiVersion: object.desired?["apiVersion"]?.stringValue ?? "", kind: object.key.kind)
      let live = try await client.get(
        resource, namespace: object.key.namespace.isEmpty ? nil : object.key.namespace,
        name: object.key.name)
      #expect(TrackingMarks.isOwned(live, by: "dev"), "\(object.key)")
    }
    // Post-sync hooks ran after every Deployment was applied.
    let applied = result.applied.map(\.description)
    let lastDeployment = try #require(applied.lastIndex { $0.hasPrefix("apps/Deployment") })
    let firstHook = try #require(applied.firstIndex { $0.hasPrefix("batch/Job") })
    #expect(lastDeployment < firstHook)

    server.clearRequestLog()
    let again = try await engine.sync(desired, options: GitOpsFixture.options())
    #expect(again.outcome == .unchanged)
    #expect(
      server.requestLog.filter { $0.method != "GET" && $0.query["dryRun"] == nil }.isEmpty)
  }
}
