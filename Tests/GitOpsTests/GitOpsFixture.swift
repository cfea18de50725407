import Delivery
import Environments
import Foundation
import Git
import GitOps
import Kube
import TestSupport
import YAML

/// A small chart in a real Git repository, an environment `test` that deploys it into namespace
/// `app-test`, and the strict test API server; tests change the chart, commit, and sync.
///
/// The chart (any chart must work, so it is written here rather than taken from charts/):
/// a ConfigMap with `.Values.greeting`, a Service, a Deployment `web` in wave 1 (its image from the
/// environment's image binding), a Deployment `worker`, and a pre-install/pre-upgrade hook Job
/// `migrate`.
final class GitOpsFixture: @unchecked Sendable {
  static let namespace = "app-test"
  static let digest = "sha256:" + String(repeating: "ab", count: 32)

  let directory: TemporaryDirectory
  let repository: GitFixtureRepository
  let server: KubeAPIServer
  let client: KubeClient
  let engine: GitOpsEngine
  let controllers: SimulatedControllers

  init(
    syncPolicy: String = "{automated: false, prune: true, selfHeal: false}",
    withHook: Bool = true, createNamespace: Bool = true, extraSpec: String = "",
    registry: String = "{host: registry.test:5000}"
  ) async throws {
    directory = try TemporaryDirectory()
    repository = try GitFixtureRepository(at: directory.path + "/repo")
    server = try await KubeAPIServer()
    var configuration = KubeClientConfiguration(server: server.url, namespace: Self.namespace)
    configuration.queriesPerSecond = 0
    client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    engine = GitOpsEngine(client: client)
    controllers = SimulatedControllers(server: server, client: client, namespace: Self.namespace)
    try writeEnvironment(syncPolicy: syncPolicy, extraSpec: extraSpec, registry: registry)
    try writeChart(withHook: withHook)
    try repository.commitAll("the app chart")
    if createNamespace {
      _ = try await client.create([
        "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(Self.namespace)],
      ])
    }
  }

  func stop() async {
    await controllers.stop()
    await server.stop()
  }

  func writeEnvironment(syncPolicy: String, extraSpec: String, registry: String) throws {
    try repository.write(
      "environments/test/environment.yaml",
      """
      apiVersion: tripgen.io/v1alpha1
      kind: Environment
      metadata:
        name: test
      spec:
        source: {repository: ., branch: main}
        namespace: \(Self.namespace)
        cluster: {required: true}
        charts:
          - release: app
            path: charts/app
            values: [environments/test/values.yaml]
        registry: \(registry)
        images:
          - name: web
            sourcePaths: [charts/app]
            values: web.image
        syncPolicy: \(syncPolicy)
      \(extraSpec)

      """)
    try repository.write("environments/test/values.yaml", "greeting: hello\n")
  }

  func writeChart(withHook: Bool) throws {
    try repository.write(
      "charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n")
    try repository.write(
      "charts/app/values.yaml",
      """
      greeting: hi
      workerReplicas: 1
      web:
        image: {registry: "", repository: web, tag: latest, digest: ""}

      """)
    try repository.write(
      "charts/app/templates/config.yaml",
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
      data:
        greeting: {{ .Values.greeting | quote }}

      """)
    try repository.write(
      "charts/app/templates/service.yaml",
      """
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]

      """)
    try repository.write(
      "charts/app/templates/web.yaml",
      """
      {{- $image := .Values.web.image -}}
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        annotations:
          tripgen.io/sync-wave: "1"
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: web
                image: {{ if $image.digest }}{{ $image.registry }}/{{ $image.repository }}@{{ $image.digest }}{{ else }}{{ $image.registry }}/{{ $image.repository }}:{{ $image.tag }}{{ end }}

      """)
    try repository.write(
      "charts/app/templates/worker.yaml",
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: worker
      spec:
        replicas: {{ .Values.workerReplicas }}
        selector: {matchLabels: {app: worker}}
        template:
          metadata: {labels: {app: worker}}
          spec:
            containers: [{name: worker, image: busybox:1.36}]

      """)
    if withHook {
      try repository.write(
        "charts/app/templates/migrate.yaml",
        """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: migrate
          annotations:
            helm.sh/hook: pre-install,pre-upgrade
            helm.sh/hook-weight: "-5"
            helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: busybox:1.36, command: [sh, -c, "echo migrated {{ .Values.greeting }}"]}]

        """)
    }
  }

  /// The image binding of `web` (with a digest, unless `digest` is nil).
  func bindings(digest: String? = GitOpsFixture.digest) -> [ImageBinding] {
    [
      ImageBinding(
        name: "web", registry: "registry.test:5000", repository: "web", tag: "src-1",
        digest: digest)
    ]
  }

  /// The desired state at a revision of the fixture repository.
  func desired(
    revision: String = "HEAD", digest: String? = GitOpsFixture.digest
  ) async throws -> DesiredState {
    let source = EnvironmentSource(
      repository: try await GitRepository.open(at: repository.path), workingTree: nil)
    return try await Delivery(source: source, images: FixedImageBindings(bindings(digest: digest)))
      .desiredState(of: "test", at: try await source.revision(revision))
  }

  /// Options for fast tests: short polls and timeouts.
  static func options(prune: Bool? = nil, wait: Bool = true, timeout: Double = 10) -> SyncOptions {
    var options = SyncOptions()
    options.prune = prune
    options.wait = wait
    options.timeout = timeout
    options.pollInterval = 0.02
    options.trigger = "test"
    return options
  }

  /// The writes the server received since the log was cleared: non-dry-run POST, PUT, PATCH,
  /// DELETE, as `METHOD path`.
  var writes: [String] {
    server.requestLog.filter {
      ["POST", "PUT", "PATCH", "DELETE"].contains($0.method) && $0.query["dryRun"] == nil
    }.map { "\($0.method) \($0.path)" }
  }

  /// The stored object, or nil.
  func object(_ apiVersion: String, _ kind: String, _ name: String) -> JSONValue? {
    server.object(apiVersion: apiVersion, kind: kind, namespace: Self.namespace, name: name)
  }
}

/// Plays the controllers a real cluster runs, which the test API server has not: Deployments roll
/// out (ready replicas), Jobs complete, or fail with a pod whose container reports a reason.
final class SimulatedControllers: @unchecked Sendable {
  private let server: KubeAPIServer
  private let client: KubeClient
  private let namespace: String
  private let lock = NSLock()
  private var failingJobs: [String: String] = [:]
  private var stalledDeployments: Set<String> = []
  private var task: Task<Void, Never>?

  init(server: KubeAPIServer, client: KubeClient, namespace: String) {
    self.server = server
    self.client = client
    self.namespace = namespace
  }

  /// Jobs of this name fail, their pod waiting with `reason`.
  func failJob(_ name: String, reason: String) { lock.withLock { failingJobs[name] = reason } }

  /// Deployments of this name never finish rolling out (until `release`).
  func stall(_ name: String) { _ = lock.withLock { stalledDeployments.insert(name) } }
  func release(_ name: String) { _ = lock.withLock { stalledDeployments.remove(name) } }

  /// Starts reconciling every 20 ms.
  func start() {
    task = Task { [self] in
      while !Task.isCancelled {
        try? await reconcile()
        try? await Task.sleep(for: .milliseconds(20))
      }
    }
  }

  func stop() async {
    task?.cancel()
    await task?.value
  }

  private func reconcile() async throws {
    let deployments = try await client.resource(apiVersion: "apps/v1", kind: "Deployment")
    for deployment in try await client.listAll(deployments, namespace: namespace).items {
      let name = deployment["metadata"]?["name"]?.stringValue ?? ""
      let generation = deployment["metadata"]?["generation"]?.intValue ?? 1
      if lock.withLock({ stalledDeployments.contains(name) }) {
        if deployment["status"] == nil {
          server.setStatus(
            apiVersion: "apps/v1", kind: "Deployment", namespace: namespace, name: name,
            status: ["observedGeneration": .int(generation), "replicas": 0])
        }
        continue
      }
      guard
        deployment["status"]?["observedGeneration"]?.intValue != generation
          || deployment["status"]?["availableReplicas"] == nil
      else { continue }
      let replicas = deployment["spec"]?["replicas"]?.intValue ?? 1
      server.setStatus(
        apiVersion: "apps/v1", kind: "Deployment", namespace: namespace, name: name,
        status: [
          "observedGeneration": .int(generation), "replicas": .int(replicas),
          "updatedReplicas": .int(replicas), "readyReplicas": .int(replicas),
          "availableReplicas": .int(replicas),
          "conditions": [
            ["type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"],
            ["type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"],
          ],
        ])
    }
    let statefulSets = try await client.resource(apiVersion: "apps/v1", kind: "StatefulSet")
    for set in try await client.listAll(statefulSets, namespace: namespace).items {
      let name = set["metadata"]?["name"]?.stringValue ?? ""
      let generation = set["metadata"]?["generation"]?.intValue ?? 1
      guard set["status"]?["observedGeneration"]?.intValue != generation else { continue }
      let replicas = set["spec"]?["replicas"]?.intValue ?? 1
      server.setStatus(
        apiVersion: "apps/v1", kind: "StatefulSet", namespace: namespace, name: name,
        status: [
          "observedGeneration": .int(generation), "replicas": .int(replicas),
          "readyReplicas": .int(replicas), "currentReplicas": .int(replicas),
          "updatedReplicas": .int(replicas), "availableReplicas": .int(replicas),
          "currentRevision": .string("\(name)-1"), "updateRevision": .string("\(name)-1"),
        ])
    }
    // The ingress controller publishes an address.
    let ingresses = try await client.resource(apiVersion: "networking.k8s.io/v1", kind: "Ingress")
    for ingress in try await client.listAll(ingresses, namespace: namespace).items
    where ingress["status"]?["loadBalancer"]?["ingress"] == nil {
      server.setStatus(
        apiVersion: "networking.k8s.io/v1", kind: "Ingress", namespace: namespace,
        name: ingress["metadata"]?["name"]?.stringValue ?? "",
        status: ["loadBalancer": ["ingress": [["ip": "10.0.0.10"]]]])
    }
    let jobs = try await client.resource(apiVersion: "batch/v1", kind: "Job")
    for job in try await client.listAll(jobs, namespace: namespace).items
    where job["status"]?["conditions"] == nil {
      let name = job["metadata"]?["name"]?.stringValue ?? ""
      if let reason = lock.withLock({ failingJobs[name] }) {
        try await createFailedPod(job: name, reason: reason)
        server.setStatus(
          apiVersion: "batch/v1", kind: "Job", namespace: namespace, name: name,
          status: [
            "failed": 1,
            "conditions": [
              [
                "type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                "message": "Job has reached the specified backoff limit",
              ]
            ],
          ])
      } else {
        server.setStatus(
          apiVersion: "batch/v1", kind: "Job", namespace: namespace, name: name,
          status: [
            "succeeded": 1, "conditions": [["type": "Complete", "status": "True"]],
          ])
      }
    }
  }

  private func createFailedPod(job: String, reason: String) async throws {
    let pods = try await client.resource(apiVersion: "v1", kind: "Pod")
    let name = "\(job)-x7k2p"
    if try await client.getIfPresent(pods, namespace: namespace, name: name) != nil { return }
    _ = try await client.create([
      "apiVersion": "v1", "kind": "Pod",
      "metadata": [
        "name": .string(name), "namespace": .string(namespace),
        "labels": ["job-name": .string(job)],
      ],
      "spec": ["containers": [["name": "migrate", "image": "busybox:1.36"]]],
    ])
    server.setStatus(
      apiVersion: "v1", kind: "Pod", namespace: namespace, name: name,
      status: [
        "phase": "Pending",
        "containerStatuses": [
          [
            "name": "migrate", "ready": false, "restartCount": 0,
            "state": [
              "waiting": [
                "reason": .string(reason),
                "message": "Back-off pulling image \"busybox:1.36\"",
              ]
            ],
          ]
        ],
      ])
  }
}

extension Revision {
  /// The revision objects rendered from a directory (not a commit) are recorded at in tests.
  static let test = Revision.commit(ObjectID(hex: String(repeating: "0", count: 40))!)
}
