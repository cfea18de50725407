import Controller
import Environments
import Foundation
import GitOps
import Kube
import TestSupport
import Testing
import YAML

/// The in-cluster controller against a real control plane (``RealKubeCluster``: etcd,
/// kube-apiserver and kube-controller-manager from `KUBEBUILDER_ASSETS`), acting as a
/// ServiceAccount bound to the Role its chart grants, with a ``PodStandIn`` in place of the
/// kubelet. What the test server cannot vouch for: that the Role is enough, that a real server's
/// watches (watch-list on etcd 3.6) bring drift back in seconds, that they come back after the
/// apiserver was down, and that sleeping and waking move real Deployments.
@Suite(
  .serialized,
  .enabled(if: RealKubeCluster.isAvailable, Comment(rawValue: RealKubeCluster.howToEnable)))
struct RealClusterControllerTests {
  @Test func aPushedCommitIsAppliedAfterItsWebhook() async throws {
    try await withController { fixture, _ in
      try await fixture.start(leaseNamespace: fixture.namespace)
      #expect(await fixture.waitUntilSettled())
      #expect(await fixture.greeting() == "hello")
      let commit = try fixture.commit(greeting: "pushed")
      let delivery = fixture.pushDelivery(after: commit)
      let sent = ContinuousClock.now
      let reply = try await fixture.request(
        "POST", "/api/webhook", body: delivery.body, headers: delivery.headers)
      #expect(reply.status == 202, "\(reply.body)")
      #expect(await fixture.waitUntil(.seconds(30)) { await fixture.greeting() == "pushed" })
      print(
        "real cluster: the pushed greeting was live \(ContinuousClock.now - sent) after the webhook"
      )
      #expect(await fixture.waitUntil { await fixture.status()?.syncedRevision == commit })
      #expect(await fixture.status()?.syncs.first?.trigger == .webhook)
      #expect(await fixture.status()?.lastError == nil)
      // What the Role's other rules are for: the Lease it leads with and the Events it records.
      let lease = try await fixture.read("coordination.k8s.io/v1", "Lease", "tripgen-controller")
      #expect(lease?["spec"]?["holderIdentity"] == "controller-0")
      // Events are recorded after the status: they may come a moment later.
      #expect(
        await fixture.waitUntil {
          await fixture.hasEvent(
            "ResourceUpdated", about: "greeting",
            saying: "applied revision \(commit.prefix(7)) (webhook)")
        })
    }
  }

  @Test func driftByHandIsRevertedWithinFiveSeconds() async throws {
    try await withController { fixture, _ in
      // The production backoff before a heal, so that the bound is what a cluster gets.
      try await fixture.start(
        leaseNamespace: fixture.namespace,
        selfHealBackoff: EnvironmentController.Options().selfHealBackoff)
      #expect(await fixture.waitUntilSettled())
      let repair = try await fixture.driftByHand()
      #expect(repair.edited.greeting == "edited by hand")
      #expect(repair.edited.replicas == 5)
      let after = try #require(repair.revertedAfter, "the drift was not reverted")
      print("real cluster: drift reverted \(after) after the edits")
      #expect(after < .seconds(5))
      #expect(await fixture.waitUntil { await fixture.status()?.syncs.first?.trigger == .selfHeal })
      let drift = await fixture.waitUntil { await fixture.hasEvent("DriftDetected", about: "web") }
      let healed = await fixture.waitUntil {
        await fixture.hasEvent("SelfHealed", about: "greeting")
      }
      let events = await fixture.events()
      #expect(drift, "events: \(events)")
      #expect(healed, "events: \(events)")
    }
  }

  /// The cluster is the test's own: stopping the shared cluster's apiserver would fail every other
  /// test running meanwhile.
  @Test func watchesComeBackAfterTheAPIServerWasDownForAMinute() async throws {
    let cluster = try await RealKubeCluster()
    do {
      try await outage(on: cluster)
    } catch {
      await cluster.stop()
      throw error
    }
    await cluster.stop()
  }

  private func outage(on cluster: RealKubeCluster) async throws {
    try await withController(on: cluster) { fixture, _ in
      try await fixture.start(
        leaseNamespace: fixture.namespace,
        selfHealBackoff: EnvironmentController.Options().selfHealBackoff)
      #expect(await fixture.waitUntilSettled())
      let syncsBefore = await fixture.status()?.syncs.count ?? 0

      let clock = ContinuousClock()
      let stopped = clock.now
      await cluster.stopAPIServer()
      // The issue asks for a minute: longer than the lease (15 s) and the watches' longest
      // backoff (30 s), so leadership is lost and every watch is retrying at its slowest.
      try await Task.sleep(for: .seconds(60))
      // The controller does not depend on the apiserver to be alive.
      #expect(fixture.isRunning)
      #expect((try await fixture.request("GET", "/healthz")).status == 200)
      try await cluster.startAPIServer()
      let restarted = clock.now
      print("real cluster: kube-apiserver was down for \(restarted - stopped)")
      #expect(restarted - stopped >= .seconds(60))

      // Leading again, and the sync that follows done: drift from now on is only seen by a
      // watch (no poll for an hour, no schedule).
      #expect(
        await fixture.waitUntil(.seconds(60)) {
          (await fixture.status()?.syncs.count ?? 0) > syncsBefore
        })
      #expect(await fixture.waitUntilSettled())
      let healsBefore = await fixture.status()?.syncs.filter { $0.trigger == .selfHeal }.count ?? 0
      // The watches may still be in their backoff (up to 30 s) when the drift comes; a watch that
      // resumes from its last resourceVersion still reports it.
      let repair = try await fixture.driftByHand(timeout: .seconds(60))
      #expect(repair.edited.greeting == "edited by hand")
      let after = try #require(repair.revertedAfter, "the drift after the outage was not reverted")
      print("real cluster: drift after the outage reverted \(after) after the edits")
      #expect(
        await fixture.waitUntil {
          (await fixture.status()?.syncs.filter { $0.trigger == .selfHeal }.count ?? 0)
            > healsBefore
        })
      #expect(fixture.isRunning)
      #expect((try await fixture.request("GET", "/healthz")).status == 200)
    }
  }

  @Test(
    .enabled(
      if: RealKubeCluster.hasControllerManager,
      "needs kube-controller-manager in the KUBEBUILDER_ASSETS folder"))
  func theScheduleSleepsTheServicesAtNightButNeverTheController() async throws {
    let schedule =
      #"{timezone: Asia/Seoul, days: [Mon, Tue, Wed, Thu, Fri], wake: "08:00", sleep: "20:00"}"#
    try await withController(
      policy: .init(schedule: schedule), templates: ["controller.yaml": Self.controllerDeployment]
    ) { fixture, standIn in
      // Wednesday 2026-11-25 23:00 in Seoul.
      fixture.clock.set(try Date("2026-11-25T14:00:00Z", strategy: .iso8601))
      try await fixture.start(leaseNamespace: fixture.namespace)
      func spec(_ kind: String, _ name: String) async -> Int? {
        try? await fixture.read("apps/v1", kind, name)?["spec"]?["replicas"]?.intValue
      }
      func available(_ name: String) async -> Int? {
        try? await fixture.read("apps/v1", "Deployment", name)?["status"]?["availableReplicas"]?
          .intValue
      }
      #expect(
        await fixture.waitUntil(.seconds(60)) {
          await fixture.status()?.syncs.contains { $0.trigger == .schedule } == true
        })
      #expect(await fixture.waitUntil(.seconds(60)) { await spec("Deployment", "web") == 0 })
      // No pod left for the night; the controller's own keeps running, the database too.
      #expect(
        await fixture.waitUntil(.seconds(90)) {
          let web = try? await fixture.read("apps/v1", "Deployment", "web")
          return (web?["status"]?["replicas"]?.intValue ?? 0) == 0
            && web?["status"]?["observedGeneration"] == web?["metadata"]?["generation"]
        })
      #expect(await spec("Deployment", "tripgen-controller") == 1)
      #expect(
        await fixture.waitUntil(.seconds(90)) { await available("tripgen-controller") == 1 },
        "stand-in: \(standIn.problems)")
      #expect(await spec("StatefulSet", "db") == 1)

      // Thursday 08:30 in Seoul: the services come back, and become available.
      fixture.clock.set(try Date("2026-11-25T23:30:00Z", strategy: .iso8601))
      let woke = ContinuousClock.now
      #expect(await fixture.waitUntil(.seconds(60)) { await spec("Deployment", "web") == 2 })
      #expect(
        await fixture.waitUntil(.seconds(90)) { await available("web") == 2 },
        "stand-in: \(standIn.problems)")
      print("real cluster: the services were available \(ContinuousClock.now - woke) after waking")
      #expect(await spec("Deployment", "tripgen-controller") == 1)
      // The watches carry the rollouts' statuses to the controller's health.
      let healthy = await fixture.waitUntil(.seconds(30)) {
        await fixture.status()?.status.health.status == .healthy
      }
      let objects = await fixture.status()?.status.objects.map { "\($0.name): \($0.health)" } ?? []
      #expect(healthy, "\(objects)")
    }
  }

  /// The controller's own Deployment in the environment, as charts/tripgen-controller renders
  /// it: exempt from sleep, or nothing would wake the environment in the morning.
  static let controllerDeployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: tripgen-controller
      annotations:
        tripgen.io/sleep: never
    spec:
      replicas: 1
      selector:
        matchLabels: {app: tripgen-controller}
      template:
        metadata:
          labels: {app: tripgen-controller}
        spec:
          containers:
            - name: controller
              image: tripgen-controller:1.0

    """
}

/// The kinds the fixture's chart renders, and what the controller needs besides: the Role's rules
/// for these and no other.
private let fixtureResources: Set<String> = [
  "configmaps", "deployments", "statefulsets", "leases", "pods", "events",
]

/// The Role `charts/tripgen-controller/templates/role.yaml` renders with the dev environment's
/// values, its rules narrowed to ``fixtureResources`` and its verbs untouched: the controller here
/// may do exactly what it may do in a cluster, on the kinds it meets.
private func controllerRole(namespace: String) throws -> JSONValue {
  let state = try ControllerChartTests.render()
  let role = try #require(
    ControllerChartTests.controllerObjects(state).first { $0.key.kind == "Role" }?.object)
  var granted: Set<String> = []
  let rules = (role["rules"]?.arrayValue ?? []).compactMap { rule -> JSONValue? in
    let resources = (rule["resources"]?.arrayValue ?? []).filter {
      fixtureResources.contains($0.stringValue ?? "")
    }
    guard !resources.isEmpty else { return nil }
    granted.formUnion(resources.compactMap(\.stringValue))
    var narrowed = rule
    narrowed.set(["resources"], .array(resources))
    return narrowed
  }
  // A chart that stopped granting one of them fails here, not as a puzzling 403 later.
  #expect(granted == fixtureResources)
  return [
    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
    "metadata": ["name": "tripgen-controller", "namespace": .string(namespace)],
    "rules": .array(rules),
  ]
}

/// Runs `body` with a fixture on `cluster` (the shared one by default) in a namespace of its own:
/// the controller acts as ServiceAccount `tripgen-controller`, bound to ``controllerRole``, and a
/// stand-in kubelet runs the namespace's pods. Everything is stopped and the namespace deleted
/// after.
private func withController(
  on cluster: RealKubeCluster? = nil, policy: ControllerFixture.Policy = .init(),
  templates: [String: String] = [:],
  _ body: (ControllerFixture, PodStandIn) async throws -> Void
) async throws {
  let cluster = if let cluster { cluster } else { try await RealKubeCluster.shared() }
  print("real cluster: kube-apiserver \(cluster.version)")
  let namespace = try await cluster.makeNamespace("controller")
  let admin = cluster.adminClient(namespace: namespace)
  _ = try await admin.apply(try controllerRole(namespace: namespace), fieldManager: "test")
  _ = try await admin.apply(
    [
      "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
      "metadata": ["name": "tripgen-controller", "namespace": .string(namespace)],
      "roleRef": [
        "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "tripgen-controller",
      ],
      "subjects": [
        ["kind": "ServiceAccount", "name": "tripgen-controller", "namespace": .string(namespace)]
      ],
    ], fieldManager: "test")
  let kubeconfig = try await cluster.serviceAccountKubeconfig(
    namespace: namespace, name: "tripgen-controller")
  var configuration = try KubeClientConfiguration.load(kubeconfig: kubeconfig, environment: [:])
  // `tripgen controller`'s defaults (--kube-qps, --kube-burst), not client-go's 5 per second.
  configuration.queriesPerSecond = 50
  configuration.burst = 100
  let controller = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
  let fixture = try await ControllerFixture(
    policy: policy, target: .cluster(namespace: namespace, admin: admin, controller: controller),
    templates: templates)
  // The authorizer reads roles and bindings from an informer: they count a moment later.
  let configMaps = try await controller.resource(apiVersion: "v1", kind: "ConfigMap")
  let allowed = await fixture.waitUntil(.seconds(30)) {
    (try? await controller.list(configMaps, namespace: namespace)) != nil
  }
  #expect(allowed, "the controller's ServiceAccount could not list ConfigMaps")
  let standIn = try await PodStandIn(client: cluster.adminClient(), namespaces: [namespace])
  do {
    try await body(fixture, standIn)
  } catch {
    await fixture.shutdown()
    await standIn.stop()
    await cluster.deleteNamespace(namespace)
    throw error
  }
  await fixture.shutdown()
  await standIn.stop()
  await cluster.deleteNamespace(namespace)
}

extension ControllerFixture {
  /// The controller's Events in the namespace, each as `REASON NAME: MESSAGE`.
  fileprivate func events() async -> [String] {
    guard let resource = try? await client.resource(apiVersion: "v1", kind: "Event"),
      let events = try? await client.list(resource, namespace: namespace)
    else { return [] }
    return events.items.filter { $0["reportingComponent"] == "tripgen-controller" }.map {
      "\($0["reason"]?.stringValue ?? "") \($0["involvedObject"]?["name"]?.stringValue ?? ""): \($0["message"]?.stringValue ?? "")"
    }
  }

  /// Whether the controller recorded an Event with `reason` about the object `name` (whose
  /// message contains `text`).
  fileprivate func hasEvent(_ reason: String, about name: String, saying text: String = "")
    async -> Bool
  {
    // Foundation's `contains` finds no empty string.
    await events().contains {
      $0.hasPrefix("\(reason) \(name): ") && (text.isEmpty || $0.contains(text))
    }
  }

  /// The live ConfigMap's greeting, read through the API.
  fileprivate func greeting() async -> String? {
    try? await read("v1", "ConfigMap", "greeting")?["data"]?["greeting"]?.stringValue
  }
}
