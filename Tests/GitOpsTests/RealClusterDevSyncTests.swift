import Environments
import Foundation
import Git
import GitOps
import Kube
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
    return try await ImageResolver(repository: repository, lookup: .none)
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
  func theControllersServiceAccountSyncsAllOfDevWithTheRoleItsChartRenders() async throws {
    let cluster = try await RealKubeCluster.shared()
    print("real control plane: kube-apiserver \(cluster.version)")
    let admin = cluster.adminClient(namespace: Self.namespace)
    _ = try await admin.create([
      "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(Self.namespace)],
    ])
    defer { Task { await cluster.deleteNamespace(Self.namespace) } }
    let standIn = try await PodStandIn(client: admin, namespaces: [Self.namespace])
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
    let desired = try await DesiredStateLoader(images: FixedImageBindings(bindings))
      .load(environment: "dev", files: files, revision: "working-tree")
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
    let sync = try await tripgen(
      ["sync", "--wait", "--timeout", "180s"] + common
        + bindings.flatMap {
          ["--image", "\($0.name)=\($0.registry ?? "")/\($0.repository):\($0.tag)@\(Self.digest)"]
        })
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
  }
}
