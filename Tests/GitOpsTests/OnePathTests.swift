import Delivery
import Environments
import Foundation
import Git
import GitOps
import Kube
import Logging
import OCI
import Registry
import TestSupport
import Testing
import YAML

@testable import Controller
@testable import Pipeline

/// `tripgen diff|status`, the CI step and the controller take the one path of ``Delivery``: for the
/// same revision, environment and cluster they bind the same images, plan the same changes (awake
/// and asleep), and assess the same health.
@Suite struct OnePathTests {
  /// The three front ends, set up on one fixture: an environment whose image `web` is pushed to a
  /// real registry (with a password, as ACR refuses anonymous pulls) under its source-addressed tag.
  struct FrontEnds {
    let fixture: GitOpsFixture
    let registry: RegistryServer
    let repository: GitRepository
    let commit: Commit
    let kubeconfig: String
    let digest: String

    var credentials: [String: String] {
      [
        "TRIPGEN_REGISTRY_USERNAME": registry.username,
        "TRIPGEN_REGISTRY_PASSWORD": registry.password,
      ]
    }

    static func start() async throws -> FrontEnds {
      let registry = try RegistryServer()
      let fixture = try await GitOpsFixture(
        withHook: false, registry: "{host: \"\(registry.host)\", insecure: true}")
      fixture.controllers.start()
      try passChecks(fixture)
      let repository = try await GitRepository.open(at: fixture.repository.path)
      let commit = try await repository.resolve("HEAD")
      let environment = try EnvironmentLoader.load(
        name: "test", from: DirectorySourceFiles(root: fixture.repository.path))
      let tag = try await ImageResolver(repository: repository, store: nil).tag(
        of: environment.spec.images[0], at: commit.id)
      let layout = fixture.directory.file("build").path
      let digest = try LayoutTestImage.write(layout: layout, tag: tag, label: "web")
      let client = RegistryClient(
        registry: registry.host,
        configuration: RegistryClientConfiguration(
          credentials: RegistryCredentials(
            username: registry.username, password: registry.password)))
      _ = try await ImagePusher(client: client).push(
        try LayoutReference(path: layout, tag: tag), to: "web", tags: [tag])
      return FrontEnds(
        fixture: fixture, registry: registry, repository: repository, commit: commit,
        kubeconfig: try GitOpsCommandTests.kubeconfig(fixture), digest: digest.description)
    }

    /// The CI step checks before it plans: the fixture's chart gets what the checks ask of a
    /// workload (requests, limits, probes) and a NetworkPolicy for its Service.
    static func passChecks(_ fixture: GitOpsFixture) throws {
      /// What the checks ask of a container, its keys indented by `indent` spaces.
      func container(_ indent: Int) -> String {
        [
          "resources:", "  requests: {cpu: 10m, memory: 16Mi}",
          "  limits: {cpu: 100m, memory: 64Mi}",
          "readinessProbe: {tcpSocket: {port: 8080}}", "livenessProbe: {tcpSocket: {port: 8080}}",
        ].map { String(repeating: " ", count: indent) + $0 + "\n" }.joined()
      }
      let web = try String(
        contentsOfFile: fixture.repository.path + "/charts/app/templates/web.yaml", encoding: .utf8)
      // Under the `image:` line, at its indentation.
      let imageLine = try #require(web.split(separator: "\n").first { $0.contains("image: {{") })
      let indent = imageLine.prefix { $0 == " " }.count
      try fixture.repository.write(
        "charts/app/templates/web.yaml",
        web.trimmingCharacters(in: .newlines) + "\n" + container(indent))
      // The fixture's worker, its one-line container list written out with the same additions.
      let worker = try String(
        contentsOfFile: fixture.repository.path + "/charts/app/templates/worker.yaml",
        encoding: .utf8)
      let list = "containers: [{name: worker, image: busybox:1.36}]"
      let listLine = try #require(worker.split(separator: "\n").first { $0.contains(list) })
      let listIndent = String(repeating: " ", count: listLine.prefix { $0 == " " }.count)
      try fixture.repository.write(
        "charts/app/templates/worker.yaml",
        worker.replacingOccurrences(
          of: listIndent + list + "\n",
          with: listIndent + "containers:\n" + listIndent + "  - name: worker\n" + listIndent
            + "    image: busybox:1.36\n" + container(listIndent.count + 4)))
      try fixture.repository.write(
        "charts/app/templates/policy.yaml",
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: web
        spec:
          podSelector: {matchLabels: {app: web}}
          policyTypes: [Ingress]
          ingress: [{ports: [{port: 8080}]}]

        """)
      try fixture.repository.commitAll("what the checks ask for")
    }

    func stop() async {
      await fixture.stop()
      registry.stop()
    }

    var environment: Environment {
      get throws {
        try EnvironmentLoader.load(
          name: "test", from: DirectorySourceFiles(root: fixture.repository.path))
      }
    }

    /// `tripgen diff -o json`: the CLI's plan.
    func cliPlan() async throws -> PlanSummary {
      let result = try await tripgen(
        [
          "diff", "--env", "test", "--repo", fixture.repository.path, "--kubeconfig", kubeconfig,
          "--output", "json",
        ], environment: credentials)
      #expect(result.status <= 1, "\(result.standardError)")
      return try JSONDecoder().decode(PlanSummary.self, from: Data(result.standardOutput.utf8))
    }

    /// The plan the CI step reports (no build: the registry has the image; no sync).
    func ciRun() async throws -> CIReport {
      let options = CIOptions(
        environment: "test", repositoryPath: fixture.repository.path, push: false,
        registryCredentials: RegistryCredentials(
          username: registry.username, password: registry.password),
        kubeconfig: kubeconfig, processEnvironment: ["HOME": fixture.directory.path])
      let lines = Lines()
      let (report, error) = await CIRun(
        options: options, console: CIConsole(style: .plain, write: { lines.append($0) })
      ).run()
      #expect(error == nil, "\(lines.all)")
      return report
    }

    /// What the controller would sync: its desired state, planned by the engine its sync uses.
    func controllerRun() throws -> EnvironmentSyncRun {
      EnvironmentSyncRun(
        engine: fixture.engine,
        images: ImageStores(root: nil, processEnvironment: credentials),
        repository: repository, environment: try environment, commit: commit, trigger: .manual,
        waveTimeout: 20, writeGate: {})
    }

    func controllerPlan() async throws -> SyncPlan {
      try await Delivery.plan(
        try await controllerRun().desiredState(), on: fixture.engine, requireImages: false)
    }

    /// Every front end's plan is the controller's.
    func expectSamePlans(_ moment: Comment) async throws {
      let controller = try await controllerPlan()
      #expect(controller.images.map(\.digest) == [digest], moment)
      #expect(try await cliPlan() == PlanSummary(controller), moment)
      let ci = try #require(try await ciRun().plan, moment)
      let expected = ClusterPlan.summary(of: controller)
      #expect(ci.changes.map(\.object) == expected.changes.map(\.object), moment)
      #expect(ci.changes.map(\.action) == expected.changes.map(\.action), moment)
      #expect(ci.changes.map(\.diff) == expected.changes.map(\.diff), moment)
      #expect(
        [ci.create, ci.update, ci.unchanged, ci.prune]
          == [expected.create, expected.update, expected.unchanged, expected.prune], moment)
    }
  }

  @Test func theCLITheCIStepAndTheControllerPlanAlikeAwakeAndAsleep() async throws {
    let ends = try await FrontEnds.start()
    defer { Task { await ends.stop() } }
    // Nothing applied yet: every object is created, web pinned to the pushed digest.
    try await ends.expectSamePlans("before the first sync")
    let first = try await ends.controllerRun().run()
    #expect(first.result == .succeeded, "\(first.message)")
    try await ends.expectSamePlans("in sync")

    // Asleep: every front end plans web at zero replicas.
    try await SleepMarker(
      client: ends.fixture.client, environment: "test", namespace: GitOpsFixture.namespace
    ).write(SleepState(asleep: true, reason: "manual", since: Date()))
    let asleep = try await ends.controllerPlan()
    let web = try #require(
      asleep.objects.first { $0.key.name == "web" && $0.key.kind == "Deployment" })
    #expect(web.action == .update)
    #expect(web.changedPaths == ["spec.replicas"])
    try await ends.expectSamePlans("asleep")
  }

  @Test func theCLIAndTheControllerAssessTheSameHealth() async throws {
    let ends = try await FrontEnds.start()
    defer { Task { await ends.stop() } }
    var logger = Logger(label: "one-path-test")
    logger.logLevel = .critical
    let controller = EnvironmentController(
      environment: try ends.environment, repository: ends.repository, engine: ends.fixture.engine,
      images: ImageStores(root: nil, processEnvironment: ends.credentials),
      events: KubeEventRecorder(client: ends.fixture.client, instance: "test", logger: logger),
      metrics: ControllerMetrics(), isLeader: { true }, logger: logger)
    let running = Task { await controller.run() }
    defer { running.cancel() }
    controller.revisionArrived(ends.commit, trigger: .poll)
    controller.requestSync()

    /// Object key → health, as `tripgen status -o json` prints it.
    func cliHealth() async throws -> [String: HealthAssessment] {
      let result = try await tripgen(
        [
          "status", "--env", "test", "--repo", ends.fixture.repository.path, "--kubeconfig",
          ends.kubeconfig, "--output", "json",
        ], environment: ends.credentials)
      #expect(result.status == 0, "\(result.standardError)")
      let status = try JSONDecoder().decode(
        EnvironmentStatus.self, from: Data(result.standardOutput.utf8))
      return Dictionary(uniqueKeysWithValues: status.objects.map { ($0.key, $0.health) })
    }
    func controllerHealth() async -> [String: HealthAssessment] {
      Dictionary(
        uniqueKeysWithValues: await controller.snapshot().status.objects.map { ($0.key, $0.health) }
      )
    }
    // Healthy once the simulated rollout finished: the same answer from both.
    let settled = await waitUntil {
      let health = await controllerHealth()
      return health.count == 5 && health.values.allSatisfy { $0.status == .healthy }
    }
    let healthy = await controllerHealth()
    #expect(settled, "\(healthy)")
    #expect(try await cliHealth() == (await controllerHealth()))

    // web's rollout fails: both call it Degraded, with the same reason, and the environment too.
    ends.fixture.server.setStatus(
      apiVersion: "apps/v1", kind: "Deployment", namespace: GitOpsFixture.namespace, name: "web",
      status: [
        "observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "availableReplicas": 0,
        "conditions": [
          [
            "type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
            "message": "ReplicaSet \"web-1\" has timed out progressing.",
          ]
        ],
      ])
    let degraded = await waitUntil {
      await controllerHealth().values.contains { $0.status == .degraded }
    }
    let failing = await controllerHealth()
    #expect(degraded, "\(failing)")
    #expect(try await cliHealth() == (await controllerHealth()))
    #expect(await controller.snapshot().status.health.status == .degraded)
  }

  /// The CI step's console, kept for a failure's message.
  final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: String { lock.withLock { lines.joined() } }
  }

  /// Polls `condition` every 50 ms for up to 20 s.
  private func waitUntil(_ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < deadline {
      if await condition() { return true }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return false
  }
}
