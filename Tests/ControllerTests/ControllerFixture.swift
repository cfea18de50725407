import Controller
import Environments
import Foundation
import Git
import GitOps
import Kube
import Logging
import Synchronization
import TestSupport
import Testing
import YAML

/// A repository with one small environment (`test`: a ConfigMap whose `greeting` comes from the
/// values file, a Deployment and a StatefulSet), served over smart HTTP on loopback, an API server
/// (the in-process test server, or a real cluster's), and a controller running against both.
final class ControllerFixture: @unchecked Sendable {
  /// The environment's namespace on the test server.
  static let namespace = "tripgen-test"
  static let environment = "test"

  /// The API server the environment is synced to.
  enum Target {
    /// A test server of the fixture's own, started with these options, where the controller and
    /// the test act without credentials in ``ControllerFixture/namespace``.
    case testServer(KubeAPIServer.Options = .init())
    /// A cluster someone else runs: the environment goes to `namespace` (which exists), the
    /// controller acts through `controller` (a ServiceAccount with the controller's Role), the
    /// test through `admin`.
    case cluster(namespace: String, admin: KubeClient, controller: KubeClient)
  }

  let directory: TemporaryDirectory
  let work: GitFixtureRepository
  let git: GitHTTPServer
  /// The environment's namespace.
  let namespace: String
  /// What the test reads and edits the cluster with.
  let client: KubeClient
  /// What the controller acts with.
  let controllerClient: KubeClient
  private let server: KubeAPIServer?
  let repositoryURL: String
  let clock = TestClock()
  private(set) var controller: Controller?
  private var task: Task<Void, any Error>?
  private let ended = Mutex(false)
  private(set) var port = 0

  struct Policy {
    var automated = true
    var selfHeal = true
    var schedule: String? = nil
    var retry: String? = nil
  }

  /// - Parameter templates: More templates for the chart (file name → text), for a test that
  ///   needs an object the others do not.
  init(
    policy: Policy = Policy(), greeting: String = "hello", target: Target = .testServer(),
    templates: [String: String] = [:]
  ) async throws {
    switch target {
    case .testServer(let options):
      let server = try await KubeAPIServer(options: options)
      var configuration = KubeClientConfiguration(
        server: server.url, authentication: .none, namespace: Self.namespace)
      configuration.queriesPerSecond = 0
      let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
      _ = try await client.create(
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(Self.namespace)]])
      self.server = server
      self.client = client
      controllerClient = client
      namespace = Self.namespace
    case .cluster(let namespace, let admin, let controller):
      server = nil
      client = admin
      controllerClient = controller
      self.namespace = namespace
    }
    directory = try TemporaryDirectory(prefix: "tripgen-controller")
    work = try GitFixtureRepository(at: directory.file("work").path)
    let root = directory.file("served").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    git = try GitHTTPServer(
      root: root, username: "git", password: "s3cret-pass", directory: directory)
    repositoryURL = git.url("tripgen.git")
    try Self.writeChart(into: work)
    for (name, text) in templates { try work.write("charts/app/templates/\(name)", text) }
    try work.write(
      "environments/test/environment.yaml",
      Self.environmentFile(repository: repositoryURL, policy: policy, namespace: namespace))
    try work.write("environments/test/values.yaml", "greeting: \(greeting)\nreplicas: 2\n")
    try work.commitAll("first revision")
    try work.publish(to: root + "/tripgen.git")
  }

  /// The test server; only a fixture on ``Target/testServer(_:)`` has one.
  var kube: KubeAPIServer {
    guard let server else { preconditionFailure("the fixture runs against a real cluster") }
    return server
  }

  /// Starts a controller; returns once its server listens.
  func start(
    identity: String = "controller-0", webhookSecret: String? = "webhook-secret",
    apiToken: String? = "api-token", pollInterval: Duration = .seconds(3600),
    leaseNamespace: String? = nil, timing: LeaderElector.Timing = .init(),
    selfHealBackoff: Duration = .milliseconds(200)
  ) async throws {
    let clock = self.clock
    let configuration = Controller.Configuration(
      environments: [Self.environment], repository: repositoryURL, branch: "main",
      credentials: GitCredentials(username: "git", password: "s3cret-pass"),
      mirrorDirectory: directory.file("mirror-\(identity)").path,
      webhookSecret: webhookSecret.map { Array($0.utf8) },
      apiToken: apiToken.map { Array($0.utf8) },
      host: "127.0.0.1", port: 0, identity: identity, leaseNamespace: leaseNamespace,
      leaderTiming: timing, pollInterval: pollInterval,
      environmentOptions: .init(
        selfHealBackoff: selfHealBackoff, scheduleCheckInterval: .milliseconds(200),
        now: { clock.now }))
    var logger = Logger(label: "controller-test")
    logger.logLevel = .warning
    let controller = try await Controller(
      configuration: configuration, engine: GitOpsEngine(client: controllerClient), logger: logger)
    self.controller = controller
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    ended.withLock { $0 = false }
    task = Task {
      defer { self.ended.withLock { $0 = true } }
      try await controller.run { continuation.yield($0) }
    }
    for await port in ports {
      self.port = port
      break
    }
  }

  /// Whether the controller `start` started still runs: it returns only when cancelled, so
  /// anything else is a failure.
  var isRunning: Bool { task != nil && !ended.withLock { $0 } }

  /// Cancels the controller (as SIGTERM does) and waits for it to finish.
  func stop() async {
    task?.cancel()
    _ = try? await task?.value
    task = nil
  }

  func shutdown() async {
    await stop()
    await server?.stop()
    git.stop()
  }

  /// Commits a new greeting and pushes it; returns the commit id.
  @discardableResult
  func commit(greeting: String, replicas: Int = 2) throws -> String {
    try work.write(
      "environments/test/values.yaml", "greeting: \(greeting)\nreplicas: \(replicas)\n")
    let id = try work.commitAll("greeting: \(greeting)")
    try work.push()
    return id
  }

  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// A GitHub push delivery for `after` on `ref`, signed with `secret`.
  func pushDelivery(
    after: String, ref: String = "refs/heads/main", secret: String = "webhook-secret"
  )
    -> (body: [UInt8], headers: [(name: String, value: String)])
  {
    let body = Array(
      """
      {"ref":"\(ref)","before":"0000000000000000000000000000000000000000","after":"\(after)",\
      "repository":{"full_name":"tripgen/tripgen","clone_url":"\(repositoryURL)",\
      "html_url":"https://github.com/tripgen/tripgen"}}
      """.utf8)
    let signature = WebhookSignature(secret: Array(secret.utf8)).header(for: body)
    return (
      body,
      [
        ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", signature),
        ("Content-Type", "application/json"),
      ]
    )
  }

  /// One HTTP request to the controller.
  func request(
    _ method: String, _ path: String, body: [UInt8]? = nil,
    headers: [(name: String, value: String)] = []
  ) async throws -> (status: Int, body: String) {
    let response = try await KubeHTTPTransport().send(
      KubeRequest(method: method, url: baseURL + path, headers: headers, body: body))
    return (response.status, String(decoding: response.body, as: UTF8.self))
  }

  /// The live ConfigMap's greeting (on the test server).
  func liveGreeting() -> String? {
    kube.object(apiVersion: "v1", kind: "ConfigMap", namespace: Self.namespace, name: "greeting")?[
      "data"]?["greeting"]?.stringValue
  }

  func liveObject(_ apiVersion: String, _ kind: String, _ name: String) -> JSONValue? {
    kube.object(apiVersion: apiVersion, kind: kind, namespace: Self.namespace, name: name)
  }

  /// An object of the environment's namespace as the API server has it, read through ``client``
  /// (on any target).
  func read(_ apiVersion: String, _ kind: String, _ name: String) async throws -> JSONValue? {
    let resource = try await client.resource(apiVersion: apiVersion, kind: kind)
    return try await client.getIfPresent(resource, namespace: namespace, name: name)
  }

  func status() async -> ControlledEnvironment? {
    await controller?.status(of: Self.environment)
  }

  /// Polls `condition` every 20 ms until it holds or `timeout` passes.
  @discardableResult
  func waitUntil(
    _ timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
  ) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if try await condition() { return true }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
  }

  /// Waits until the controller leads, has synced, and starts no other sync for a second: the
  /// syncs of start-up (the first revision, then one more on becoming leader, in either order)
  /// are over, so a sync after this is the test's doing.
  func waitUntilSettled(_ timeout: Duration = .seconds(60)) async -> Bool {
    await waitUntil(timeout) {
      guard controller?.isLeader == true, let before = await status(),
        before.status.sync == .synced
      else { return false }
      try? await Task.sleep(for: .seconds(1))
      let after = await status()
      return after?.status.sync == .synced
        && after?.syncs.first?.started == before.syncs.first?.started
    }
  }

  static func environmentFile(
    repository: String, policy: Policy, namespace: String = ControllerFixture.namespace
  ) -> String {
    var text = """
      apiVersion: tripgen.io/v1alpha1
      kind: Environment
      metadata:
        name: test
      spec:
        source:
          repository: \(repository)
          branch: main
          interval: 60s
        namespace: \(namespace)
        cluster:
          required: false
        charts:
          - release: app
            path: charts/app
            values: [environments/test/values.yaml]
        registry:
          layout: images
        images: []
        syncPolicy:
          automated: \(policy.automated)
          prune: true
          selfHeal: \(policy.selfHeal)

      """
    if let retry = policy.retry { text += "    retry: \(retry)\n" }
    if let schedule = policy.schedule { text += "  schedule: \(schedule)\n" }
    return text
  }

  static func writeChart(into work: GitFixtureRepository) throws {
    try work.write(
      "charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n")
    try work.write("charts/app/values.yaml", "greeting: hi\nreplicas: 1\n")
    try work.write(
      "charts/app/templates/configmap.yaml",
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: greeting
      data:
        greeting: {{ .Values.greeting | quote }}

      """)
    try work.write(
      "charts/app/templates/deployment.yaml",
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: {{ .Values.replicas }}
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
              - name: web
                image: nginx:1.27

      """)
    try work.write(
      "charts/app/templates/statefulset.yaml",
      """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: db
      spec:
        replicas: 1
        serviceName: db
        selector:
          matchLabels: {app: db}
        template:
          metadata:
            labels: {app: db}
          spec:
            containers:
              - name: db
                image: postgres:16

      """)
  }
}

extension ControllerFixture {
  /// What ``driftByHand(timeout:)`` saw.
  struct DriftRepair {
    /// The greeting and replicas the edits left, as the server answered them.
    var edited: (greeting: String?, replicas: Int?)
    /// From the first edit to both objects saying what Git says again; nil when they did not
    /// within the timeout.
    var revertedAfter: Duration?
  }

  /// Edits the ConfigMap's greeting and scales the Deployment to 5 replicas by hand, as `kubectl
  /// edit` and `kubectl scale` do (updates as other field managers, which take the fields over
  /// from the controller's), then polls until both are back to Git's (`hello`, 2 replicas).
  func driftByHand(timeout: Duration = .seconds(30)) async throws -> DriftRepair {
    var configMap = try #require(try await read("v1", "ConfigMap", "greeting"))
    configMap.set(["data", "greeting"], "edited by hand")
    var deployment = try #require(try await read("apps/v1", "Deployment", "web"))
    deployment.set(["spec", "replicas"], 5)
    // Unconditional updates (no resourceVersion): the Deployment's status changes under a real
    // cluster's controllers, and a stale resourceVersion would make the edit fail with 409.
    configMap.set(["metadata", "resourceVersion"], "")
    deployment.set(["metadata", "resourceVersion"], "")
    let edited = ContinuousClock.now
    let editedMap = try await client.update(configMap, fieldManager: "kubectl-edit")
    let scaled = try await client.update(deployment, fieldManager: "kubectl-scale")
    let reverted = await waitUntil(timeout) {
      let greeting = try? await read("v1", "ConfigMap", "greeting")?["data"]?["greeting"]
      let replicas = try? await read("apps/v1", "Deployment", "web")?["spec"]?["replicas"]
      return greeting == "hello" && replicas == 2
    }
    return DriftRepair(
      edited: (
        editedMap["data"]?["greeting"]?.stringValue, scaled["spec"]?["replicas"]?.intValue
      ),
      revertedAfter: reverted ? ContinuousClock.now - edited : nil)
  }
}

/// The time the schedule reads, set by a test.
final class TestClock: Sendable {
  private let value = Mutex<Date>(Date())
  var now: Date { value.withLock { $0 } }
  func set(_ date: Date) { value.withLock { $0 = date } }
}
