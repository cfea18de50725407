import Environments
import Foundation
import Git
import GitOps
import Kube
import Synchronization
import TestSupport
import Testing
import YAML

/// The repository's dev environment on a real control plane (KUBEBUILDER_ASSETS), synced by
/// `tripgen sync` as the in-cluster controller's own ServiceAccount, with only the Role its chart
/// renders: what the controller does in AKS, permission by permission.
@Suite(.serialized) struct RealClusterDevSyncTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
  static let namespace = "tripgen-dev"
  static let digest = "sha256:" + String(repeating: "0f", count: 32)

  /// Dev's images bound to their source-addressed tags at HEAD (what `tripgen ci` pushes), each
  /// with a made-up digest, so that no registry is asked.
  static func bindings(_ environment: Environment) async throws -> [ImageBinding] {
    let repository = try await GitRepository.open(at: root)
    let head = try await repository.resolve("HEAD")
    return try await ImageResolver(repository: repository, store: nil)
      .bindings(for: environment, at: head.id).map {
        var binding = $0
        binding.digest = digest
        return binding
      }
  }

  @Test(
    .enabled(
      if: RealKubeCluster.isAvailable && RealKubeCluster.hasControllerManager,
      Comment(rawValue: RealKubeCluster.howToEnable + " and kube-controller-manager")))
  func theControllersAccountSyncsDevFinishesATimedOutSyncAndAdoptsOnlyWhenAsked() async throws {
    let cluster = try await RealKubeCluster.shared()
    print("real control plane: kube-apiserver \(cluster.version)")
    let admin = cluster.adminClient(namespace: Self.namespace)
    _ = try await admin.create([
      "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(Self.namespace)],
    ])
    defer { Task { await cluster.deleteNamespace(Self.namespace) } }
    // The user-service pods of a second image never become ready while `slow` is on: an image
    // that takes longer to pull than the sync waits.
    let slow = Flag()
    let secondDigest = "sha256:" + String(repeating: "1e", count: 32)
    let standIn = try await PodStandIn(
      client: admin, namespaces: [Self.namespace],
      rules: [
        .init(.notReady) { pod in
          slow.isOn && "\(pod["spec"]?["containers"] ?? [])".contains(secondDigest)
        }
      ])
    defer { Task { await standIn.stop() } }
    // No ingress controller runs here: publish an address for the Ingress as one would, or it
    // stays Progressing (Argo CD's rule) and the post-sync hooks never start.
    let ingressController = Task {
      while !Task.isCancelled {
        _ = try? await admin.apply(
          [
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": ["name": "tripgen", "namespace": .string(Self.namespace)],
            "status": ["loadBalancer": ["ingress": [["ip": "127.0.0.1"]]]],
          ], fieldManager: "ingress-stand-in", force: true, subresource: "status")
        try? await Task.sleep(for: .milliseconds(500))
      }
    }
    defer { ingressController.cancel() }

    // What a person applies once (the README's bootstrap): the controller's ServiceAccount and
    // the Role and RoleBinding its chart renders, nothing more.
    let files = DirectorySourceFiles(root: Self.root)
    let environment = try EnvironmentLoader.load(name: "dev", from: files)
    let bindings = try await Self.bindings(environment)
    let desired = try EnvironmentRenderer().render(
      try EnvironmentLoader.load(name: "dev", from: files), files: files, revision: .test,
      images: bindings)
    for object in desired.objects
    where object.source.hasPrefix("tripgen-controller/")
      && ["ServiceAccount", "Role", "RoleBinding"].contains(object.key.kind)
    {
      _ = try await admin.apply(object.object, fieldManager: GitOpsEngine.fieldManager, force: true)
    }
    let kubeconfig = try await cluster.serviceAccountKubeconfig(
      namespace: Self.namespace, name: "tripgen-controller")

    let common = [
      "--env", "dev", "--repo", Self.root, "--local", "--kubeconfig", kubeconfig, "--context",
      "real-cluster",
    ]
    func images(userService digest: String = Self.digest) -> [String] {
      bindings.flatMap {
        let pinned = $0.name == "user-service" ? digest : Self.digest
        return ["--image", "\($0.name)=\($0.registry ?? "")/\($0.repository):\($0.tag)@\(pinned)"]
      }
    }
    let sync = try await tripgen(["sync", "--wait", "--timeout", "180s"] + common + images())
    #expect(sync.status == 0, "\(sync.standardOutput)\(sync.standardError)\n\(standIn.problems)")
    // The three data-init Jobs, in their hook-weight order, each completed.
    let output = sync.standardOutput
    let jobs = ["database-schema-init", "database-sample-data", "database-validation"]
    let started = jobs.compactMap { job in
      output.range(of: "started hook Job \(Self.namespace)/\(job)")?.lowerBound
    }
    #expect(started.count == 3, "\(output)")
    #expect(started == started.sorted(), "\(output)")
    for job in jobs {
      #expect(output.contains("healthy Job \(Self.namespace)/\(job)"), "\(job)\n\(output)")
    }
    // Every object is in the cluster, and one Succeeded entry is recorded.
    for object in desired.objects where object.key.kind != "Job" {
      let resource = try await admin.resource(
        apiVersion: object.object["apiVersion"]?.stringValue ?? "v1", kind: object.key.kind)
      #expect(
        try await admin.getIfPresent(
          resource, namespace: object.key.namespace, name: object.key.name) != nil,
        "\(object.key)")
    }
    let history = try await GitOpsEngine(client: admin).history(of: environment).entries()
    #expect(history.map(\.result) == ["Succeeded"])

    // Status reads the cluster: with the registry unreachable (no --image: tripgendev.azurecr.io
    // cannot be reached from here) it binds the digests the sync recorded.
    let status = try await tripgen(["status"] + common)
    #expect(status.status == 0, "\(status.standardOutput)\(status.standardError)")
    #expect(status.standardOutput.contains("Sync:        Synced"), "\(status.standardOutput)")
    #expect(status.standardError.contains("the registry cannot be asked"))

    // A new user-service image whose pods do not become ready in time: the sync is Failed, the
    // post-sync hooks do not run. The dev policy retries three times (5 s, 10 s, 20 s).
    let engine = GitOpsEngine(client: admin)
    slow.set(true)
    let timedOut = try await tripgen(
      ["sync", "--timeout", "3s"] + common + images(userService: secondDigest))
    #expect(timedOut.status != 0, "\(timedOut.standardOutput)")
    #expect(timedOut.standardError.contains("did not become healthy within 3s"))
    #expect(
      try await engine.history(of: environment).entries().map(\.result) == ["Succeeded", "Failed"])
    #expect(!timedOut.standardOutput.contains("started hook"), "\(timedOut.standardOutput)")
    // The pods come up; nothing differs any more, yet the next sync finishes what the failed one
    // left: the hooks run and Succeeded is recorded.
    slow.set(false)
    let finished = try await tripgen(
      ["sync", "--timeout", "60s"] + common + images(userService: secondDigest))
    #expect(finished.status == 0, "\(finished.standardOutput)\(finished.standardError)")
    #expect(finished.standardOutput.contains("the last sync did not finish"))
    #expect(
      finished.standardOutput.contains("started hook Job \(Self.namespace)/database-schema-init"))
    #expect(
      try await engine.history(of: environment).entries().map(\.result)
        == ["Succeeded", "Failed", "Succeeded"])

    // An object made by hand under the name of a desired one is not taken over silently.
    let policies = try await admin.resource(
      apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy")
    try await admin.delete(policies, namespace: Self.namespace, name: "allow-external-api")
    _ = try await admin.create([
      "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
      "metadata": ["name": "allow-external-api", "namespace": .string(Self.namespace)],
      "spec": ["podSelector": [:], "policyTypes": ["Egress"]],
    ])
    let refused = try await tripgen(["sync"] + common + images(userService: secondDigest))
    #expect(refused.status != 0)
    #expect(
      refused.standardError.contains(
        "without this environment's tracking marks: NetworkPolicy \(Self.namespace)/allow-external-api"
      ),
      "\(refused.standardError)")
    let handMade = try await admin.get(
      policies, namespace: Self.namespace, name: "allow-external-api")
    #expect(!TrackingMarks.isOwned(handMade, by: "dev"))
    let adopted = try await tripgen(
      ["sync", "--adopt"] + common + images(userService: secondDigest))
    #expect(adopted.status == 0, "\(adopted.standardOutput)\(adopted.standardError)")
    let owned = try await admin.get(policies, namespace: Self.namespace, name: "allow-external-api")
    #expect(TrackingMarks.isOwned(owned, by: "dev"))
  }
}

/// A switch shared with the pod stand-in's rules.
final class Flag: Sendable {
  private let value = Mutex(false)
  var isOn: Bool { value.withLock { $0 } }
  func set(_ on: Bool) { value.withLock { $0 = on } }
}
