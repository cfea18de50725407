import Kube
import TestSupport
import Testing
import YAML

/// `applyAll`, what `tripgen kube apply -f` prints for each document.
@Suite struct KubeManifestApplierTests {
  @Test func reportsCreatedConfiguredAndUnchangedLikeKubectl() async throws {
    try await withServer { server in
      let client = makeClient(server)
      let manifests = try YAML.load(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {mode: fast}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: user-service}
        spec:
          replicas: 2
          selector: {matchLabels: {app: user-service}}
          template:
            metadata: {labels: {app: user-service}}
            spec: {containers: [{name: app, image: "user-service:1"}]}
        ---
        """)
      let dry = try await client.applyAll(manifests, fieldManager: "tripgen", dryRun: true)
      #expect(
        dry.map(\.line) == [
          "configmap/settings created (server dry run)",
          "deployment.apps/user-service created (server dry run)",
        ])
      let first = try await client.applyAll(manifests, fieldManager: "tripgen")
      #expect(
        first.map(\.line) == ["configmap/settings created", "deployment.apps/user-service created"])
      let again = try await client.applyAll(manifests, fieldManager: "tripgen")
      #expect(
        again.map(\.line) == [
          "configmap/settings unchanged", "deployment.apps/user-service unchanged",
        ])
      let changed = manifests[0].with(["data", "mode"], "slow")
      let dryChange = try await client.applyAll(
        [changed, manifests[1]], fieldManager: "tripgen", dryRun: true)
      #expect(dryChange.map(\.action) == [.configured, .unchanged])
      let applied = try await client.applyAll([changed], fieldManager: "tripgen")
      #expect(applied.map(\.line) == ["configmap/settings configured"])
      // A v1 List applies its items.
      let list = KubeObjectPrinter.document([changed, manifests[1]], single: false)
      let fromList = try await client.applyAll([list], fieldManager: "tripgen")
      #expect(
        fromList.map(\.line) == [
          "configmap/settings unchanged", "deployment.apps/user-service unchanged",
        ])
    }
  }
}
