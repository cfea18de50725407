import Foundation
import Kube
import Synchronization
import TestSupport
import Testing
import YAML

/// The Kube client against a real control plane: etcd, kube-apiserver and kube-controller-manager
/// from the folder `KUBEBUILDER_ASSETS` names (``RealKubeCluster``), with a ``PodStandIn`` in place
/// of the kubelet. What the in-process test server cannot vouch for: RBAC's answers, and the
/// controllers turning Deployments and Jobs into pods and pod statuses into theirs.
///
/// One cluster serves every test of the process; each test works in a namespace of its own.
@Suite(
  .enabled(
    if: RealKubeCluster.isAvailable, Comment(rawValue: RealKubeCluster.howToEnable)))
struct RealClusterKubeTests {
  static let configMaps = KubeAPIResource(
    group: "", version: "v1", kind: "ConfigMap", name: "configmaps", singularName: "configmap",
    namespaced: true)
  static let pods = KubeAPIResource(
    group: "", version: "v1", kind: "Pod", name: "pods", singularName: "pod", namespaced: true)
  static let namespaces = KubeAPIResource(
    group: "", version: "v1", kind: "Namespace", name: "namespaces", singularName: "namespace",
    namespaced: false)
  static let deployments = KubeAPIResource(
    group: "apps", version: "v1", kind: "Deployment", name: "deployments",
    singularName: "deployment", namespaced: true)
  static let jobs = KubeAPIResource(
    group: "batch", version: "v1", kind: "Job", name: "jobs", singularName: "job", namespaced: true)

  @Test func reportsItsVersionAndServesDiscoveryToAKubeconfigClient() async throws {
    let cluster = try await RealKubeCluster.shared()
    print(
      "real cluster: kube-apiserver \(cluster.version), started in \(cluster.startupDuration)"
        + (cluster.runsControllerManager ? " with kube-controller-manager" : ""))
    #expect(cluster.version.hasPrefix("v1."))
    let configuration = try KubeClientConfiguration.load(
      kubeconfig: cluster.adminKubeconfigPath, environment: [:])
    let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    let mapper = try await client.restMapper()
    #expect(mapper.resolve("deploy")?.apiVersion == "apps/v1")
    #expect(mapper.resolve("cj")?.apiVersion == "batch/v1")
    #expect(mapper.resolve("ns")?.namespaced == false)
    let names = try await client.list(Self.namespaces).items.compactMap {
      $0["metadata"]?["name"]?.stringValue
    }
    #expect(names.contains("default") && names.contains("kube-system"))
  }

  @Test func applyGetListAndWatchAConfigMap() async throws {
    try await inNamespace("configmap") { cluster, namespace in
      let client = cluster.adminClient(namespace: namespace)
      let first = try await client.apply(
        configMap("settings", namespace: namespace, labels: ["app": "trip"]),
        fieldManager: "tripgen")
      #expect(first.created)
      #expect(try await client.get(Self.configMaps, name: "settings").at("data.k") == "v")
      let list = try await client.list(Self.configMaps, labelSelector: "app=trip")
      #expect(list.items.compactMap { $0.at("metadata.name")?.stringValue } == ["settings"])

      let log = EventLog()
      let watcher = Task {
        for try await event in client.watch(
          Self.configMaps, labelSelector: "app=trip", resourceVersion: list.resourceVersion)
        {
          log.append(event)
        }
      }
      defer { watcher.cancel() }
      let second = try await client.apply(
        configMap("settings", namespace: namespace, data: ["k": "w"], labels: ["app": "trip"]),
        fieldManager: "tripgen")
      #expect(!second.created)
      try await client.delete(Self.configMaps, name: "settings")
      let seen = try await eventually {
        log.events.contains {
          if case .modified(let object) = $0 { return object.at("data.k") == "w" }
          return false
        } && log.events.contains { if case .deleted = $0 { true } else { false } }
      }
      #expect(seen, "watch events: \(log.events)")
    }
  }

  @Test func aServiceAccountIsForbiddenUntilARoleBindingLetsItRead() async throws {
    try await inNamespace("rbac") { cluster, namespace in
      let reader = try await cluster.serviceAccountClient(namespace: namespace, name: "reader")
      let user = "system:serviceaccount:\(namespace):reader"
      let refused = await #expect(throws: KubeError.self) {
        try await reader.list(Self.configMaps)
      }
      #expect(refused?.status?.code == 403)
      #expect(refused?.status?.reason == "Forbidden")
      #expect(
        refused?.status?.message
          == "configmaps is forbidden: User \"\(user)\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"\(namespace)\""
      )

      let admin = cluster.adminClient(namespace: namespace)
      _ = try await admin.apply(
        [
          "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
          "metadata": ["name": "configmap-reader", "namespace": .string(namespace)],
          "rules": [
            ["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch"]]
          ],
        ], fieldManager: "tripgen")
      _ = try await admin.apply(
        [
          "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
          "metadata": ["name": "reader-reads-configmaps", "namespace": .string(namespace)],
          "roleRef": [
            "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "configmap-reader",
          ],
          "subjects": [
            ["kind": "ServiceAccount", "name": "reader", "namespace": .string(namespace)]
          ],
        ], fieldManager: "tripgen")
      // The authorizer reads roles from an informer: the binding counts a moment later.
      let allowed = try await eventually(.seconds(30)) {
        (try? await reader.list(Self.configMaps)) != nil
      }
      #expect(allowed)

      let write = await #expect(throws: KubeError.self) {
        try await reader.apply(configMap("mine", namespace: namespace), fieldManager: "reader")
      }
      #expect(
        write?.status?.message
          == "configmaps \"mine\" is forbidden: User \"\(user)\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"\(namespace)\""
      )
    }
  }

  @Test(
    .enabled(
      if: RealKubeCluster.hasControllerManager,
      "needs kube-controller-manager in the KUBEBUILDER_ASSETS folder"))
  func aDeploymentOfTwoReplicasBecomesAvailable() async throws {
    try await inNamespace("deploy") { cluster, namespace in
      let standIn = try await PodStandIn(client: cluster.adminClient(), namespaces: [namespace])
      let client = cluster.adminClient(namespace: namespace)
      _ = try await client.apply(
        deployment("web", namespace: namespace, replicas: 2), fieldManager: "tripgen")
      let available = try await eventually {
        try await client.get(Self.deployments, name: "web").at("status.availableReplicas") == 2
      }
      let status = try await client.get(Self.deployments, name: "web")["status"]
      #expect(available, "status: \(String(describing: status)), stand-in: \(standIn.problems)")
      let pods = try await client.list(Self.pods, labelSelector: "app=web").items
      #expect(pods.count == 2)
      for pod in pods {
        #expect(pod.at("spec.nodeName")?.stringValue == standIn.nodeName)
        #expect(pod.at("status.phase") == "Running")
        #expect(pod.at("status.podIP")?.stringValue?.hasPrefix("10.244.") == true)
      }
      await standIn.stop()
    }
  }

  @Test(
    .enabled(
      if: RealKubeCluster.hasControllerManager,
      "needs kube-controller-manager in the KUBEBUILDER_ASSETS folder"))
  func aJobCompletes() async throws {
    try await inNamespace("job") { cluster, namespace in
      let standIn = try await PodStandIn(client: cluster.adminClient(), namespaces: [namespace])
      let client = cluster.adminClient(namespace: namespace)
      _ = try await client.apply(job("migrate", namespace: namespace), fieldManager: "tripgen")
      let complete = try await eventually {
        let job = try await client.get(Self.jobs, name: "migrate")
        return job.at("status.succeeded") == 1 && condition("Complete", of: job) == "True"
      }
      let status = try await client.get(Self.jobs, name: "migrate")["status"]
      #expect(complete, "status: \(String(describing: status)), stand-in: \(standIn.problems)")
      await standIn.stop()
    }
  }

  @Test(
    .enabled(
      if: RealKubeCluster.hasControllerManager,
      "needs kube-controller-manager in the KUBEBUILDER_ASSETS folder"))
  func aJobWhosePodFailsReportsBackoffLimitExceeded() async throws {
    try await inNamespace("job-fails") { cluster, namespace in
      let standIn = try await PodStandIn(
        client: cluster.adminClient(), namespaces: [namespace],
        rules: [.named("migrate-", .failed)])
      let client = cluster.adminClient(namespace: namespace)
      _ = try await client.apply(
        job("migrate", namespace: namespace, backoffLimit: 0), fieldManager: "tripgen")
      let failed = try await eventually {
        let job = try await client.get(Self.jobs, name: "migrate")
        return condition("Failed", of: job) == "True"
      }
      let job = try await client.get(Self.jobs, name: "migrate")
      #expect(failed, "status: \(String(describing: job["status"])), stand-in: \(standIn.problems)")
      let reason = job.at("status.conditions")?.arrayValue?.first {
        $0["type"] == "Failed"
      }?["reason"]
      #expect(reason == "BackoffLimitExceeded")
      #expect(job.at("status.failed") == 1)
      await standIn.stop()
    }
  }

  @Test(
    .enabled(
      if: RealKubeCluster.hasControllerManager,
      "needs kube-controller-manager in the KUBEBUILDER_ASSETS folder"))
  func deletingANamespaceFinishesWhileItsPodsRun() async throws {
    let cluster = try await RealKubeCluster.shared()
    let namespace = try await cluster.makeNamespace("doomed")
    let standIn = try await PodStandIn(client: cluster.adminClient(), namespaces: [namespace])
    let client = cluster.adminClient(namespace: namespace)
    _ = try await client.apply(
      deployment("web", namespace: namespace, replicas: 1), fieldManager: "tripgen")
    #expect(
      try await eventually {
        try await client.get(Self.deployments, name: "web").at("status.availableReplicas") == 1
      })
    await cluster.deleteNamespace(namespace)
    // Pods deleted gracefully stay until a kubelet confirms; the stand-in does.
    let gone = try await eventually(.seconds(120)) {
      try await client.getIfPresent(Self.namespaces, name: namespace) == nil
    }
    #expect(gone, "stand-in: \(standIn.problems)")
    await standIn.stop()
  }

  @Test(arguments: [
    (PodStandIn.Outcome.crashLoopBackOff, "CrashLoopBackOff", "Running"),
    (PodStandIn.Outcome.imagePullBackOff, "ImagePullBackOff", "Pending"),
    (PodStandIn.Outcome.oomKilled, "CrashLoopBackOff", "Running"),
  ])
  func aPodsOutcomeShowsInItsStatus(outcome: PodStandIn.Outcome, waiting: String, phase: String)
    async throws
  {
    try await inNamespace("outcome") { cluster, namespace in
      let standIn = try await PodStandIn(
        client: cluster.adminClient(), namespaces: [namespace], restartCount: 4)
      let client = cluster.adminClient(namespace: namespace)
      _ = try await client.create(
        [
          "apiVersion": "v1", "kind": "Pod",
          "metadata": [
            "name": "api", "namespace": .string(namespace),
            "labels": .object([PodStandIn.outcomeLabel: .string(outcome.rawValue)]),
          ],
          "spec": ["containers": [["name": "app", "image": "registry.example/api:1.0"]]],
        ])
      let shown = try await eventually {
        try await client.get(Self.pods, name: "api").at("status.containerStatuses") != nil
      }
      #expect(shown, "stand-in: \(standIn.problems)")
      let status = try await client.get(Self.pods, name: "api")["status"] ?? [:]
      let container = status["containerStatuses"]?[0] ?? [:]
      #expect(status["phase"]?.stringValue == phase)
      #expect(container.at("state.waiting.reason")?.stringValue == waiting)
      #expect(container["ready"] == false)
      #expect(condition("Ready", of: ["status": status]) == "False")
      switch outcome {
      case .crashLoopBackOff:
        #expect(container["restartCount"] == 4)
        #expect(container.at("lastState.terminated.exitCode") == 1)
      case .oomKilled:
        #expect(container.at("lastState.terminated.reason") == "OOMKilled")
        #expect(container.at("lastState.terminated.exitCode") == 137)
      default:
        #expect(container["restartCount"] == 0)
        #expect(
          container.at("state.waiting.message")
            == "Back-off pulling image \"registry.example/api:1.0\"")
      }
      await standIn.stop()
    }
  }
}

/// Runs `body` in a namespace of its own on the shared cluster, and starts deleting it after.
private func inNamespace(
  _ prefix: String, _ body: (RealKubeCluster, String) async throws -> Void
) async throws {
  let cluster = try await RealKubeCluster.shared()
  let namespace = try await cluster.makeNamespace(prefix)
  do {
    try await body(cluster, namespace)
  } catch {
    await cluster.deleteNamespace(namespace)
    throw error
  }
  await cluster.deleteNamespace(namespace)
}

/// Polls `condition` every 200 ms until it holds or `timeout` passes; whether it held. A real
/// cluster's controllers act in their own time.
private func eventually(
  _ timeout: Duration = .seconds(90), _ condition: () async throws -> Bool
) async throws -> Bool {
  let clock = ContinuousClock()
  let deadline = clock.now + timeout
  while clock.now < deadline {
    if try await condition() { return true }
    try await Task.sleep(for: .milliseconds(200))
  }
  return try await condition()
}

/// The status (`True`, `False`) of the condition of `type` in an object's status.
private func condition(_ type: String, of object: JSONValue) -> String? {
  object.at("status.conditions")?.arrayValue?.first { $0["type"]?.stringValue == type }?["status"]?
    .stringValue
}

/// A Job of one pod that runs once, as charts render data-initialisation Jobs.
private func job(_ name: String, namespace: String, backoffLimit: Int = 6) -> JSONValue {
  [
    "apiVersion": "batch/v1", "kind": "Job",
    "metadata": ["name": .string(name), "namespace": .string(namespace)],
    "spec": [
      "backoffLimit": .int(backoffLimit),
      "template": [
        "spec": [
          "restartPolicy": "Never",
          "containers": [["name": "migrate", "image": "registry.example/migrate:1.0"]],
        ]
      ],
    ],
  ]
}

/// The events a watch delivered, collected by the task that reads it.
private final class EventLog: Sendable {
  private let store = Mutex<[KubeWatchEvent]>([])
  var events: [KubeWatchEvent] { store.withLock { $0 } }
  func append(_ event: KubeWatchEvent) { store.withLock { $0.append(event) } }
}
