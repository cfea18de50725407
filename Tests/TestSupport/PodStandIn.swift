import Foundation
import Kube
import YAML

/// Stands in for the kube-scheduler and the kubelet of a cluster that has neither (a
/// ``RealKubeCluster``), so that its controllers see pods come up: it registers a Node, binds the
/// unscheduled pods of its namespaces to it and writes their status, as a kubelet reports it, on
/// the `/status` subresource. No container runs. kube-controller-manager turns those pod statuses
/// into the Deployment, StatefulSet and Job statuses TripGen's health checks read.
///
/// What a pod does is its ``Outcome``: from the pod's ``outcomeLabel`` label, else the first
/// matching ``Rule``, else `succeeded` for a Job's pod, else `running`. Terminal outcomes show
/// the pod running for `terminationDelay` first, so that the Job controller sees it active.
///
/// A pod deleted with a grace period stays on a real server, with a deletionTimestamp, until its
/// kubelet says the containers have stopped. The stand-in says so: it marks the pod `Failed`
/// (exit code 143, as after SIGTERM) and deletes it with `gracePeriodSeconds: 0`, so that namespace
/// deletion, Job pod replacement and foreground deletion finish.
///
/// It polls (every `pollInterval`) rather than watches: a list per namespace a few times a
/// second is nothing for a test cluster, and a poll also drives the delayed transitions.
public final class PodStandIn: Sendable {
  /// What a pod's containers do, as their status shows it.
  public enum Outcome: String, Sendable, CaseIterable {
    /// Phase Running, every container running and ready.
    case running = "Running"
    /// Running, started, but not ready: a readiness probe that fails.
    case notReady = "NotReady"
    /// Phase Succeeded: every container terminated with exit code 0 (reason Completed).
    case succeeded = "Succeeded"
    /// Phase Failed: every container terminated with exit code 1 (reason Error).
    case failed = "Failed"
    /// Phase Running, containers waiting in CrashLoopBackOff after `restartCount` restarts, the
    /// last run ended with exit code 1.
    case crashLoopBackOff = "CrashLoopBackOff"
    /// Phase Pending, containers waiting in ImagePullBackOff: the image cannot be pulled.
    case imagePullBackOff = "ImagePullBackOff"
    /// As CrashLoopBackOff, with the last run killed for exceeding its memory limit
    /// (`lastState.terminated.reason: OOMKilled`, exit code 137): what a container that runs out
    /// of memory at every start looks like.
    case oomKilled = "OOMKilled"

    var isTerminal: Bool { self == .succeeded || self == .failed }
  }

  /// Chooses the outcome of the pods it matches (the pod as the API returns it).
  public struct Rule: Sendable {
    public let outcome: Outcome
    public let matches: @Sendable (JSONValue) -> Bool

    public init(_ outcome: Outcome, matching: @escaping @Sendable (JSONValue) -> Bool) {
      self.outcome = outcome
      self.matches = matching
    }

    /// The pods whose name starts with `prefix` (a controller's pods are named after it).
    public static func named(_ prefix: String, _ outcome: Outcome) -> Rule {
      Rule(outcome) { $0["metadata"]?["name"]?.stringValue?.hasPrefix(prefix) ?? false }
    }

    /// The pods with label `key` set to `value`.
    public static func labelled(_ key: String, _ value: String, _ outcome: Outcome) -> Rule {
      Rule(outcome) { $0["metadata"]?["labels"]?[key]?.stringValue == value }
    }
  }

  /// A pod label naming its ``Outcome`` by raw value (`CrashLoopBackOff`): set it in a pod
  /// template to choose the outcome from the manifest.
  public static let outcomeLabel = "stand-in.tripgen.test/outcome"

  /// The Node's capacity, also its allocatable: a modest worker.
  public static let defaultCapacity = [
    "cpu": "4", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi",
  ]

  /// The field manager of everything the stand-in writes.
  public static let fieldManager = "pod-stand-in"

  public let nodeName: String
  public let namespaces: [String]
  private let worker: Worker
  private let task: Task<Void, Never>

  /// Registers the Node (Ready, with `capacity`) and starts tending the pods of `namespaces`
  /// through `client`'s connection. `restartCount` is what crash-looping pods report.
  public init(
    client: KubeClient, namespaces: [String], nodeName: String? = nil, rules: [Rule] = [],
    capacity: [String: String] = PodStandIn.defaultCapacity, restartCount: Int = 3,
    terminationDelay: Duration = .seconds(1), pollInterval: Duration = .milliseconds(200)
  ) async throws {
    let nodeName = nodeName ?? "stand-in-\(UUID().uuidString.prefix(8).lowercased())"
    self.nodeName = nodeName
    self.namespaces = namespaces
    // A client of its own without a rate limit: polling would starve a client limited to 5/s.
    var configuration = client.configuration
    configuration.queriesPerSecond = 0
    let worker = Worker(
      client: KubeClient(configuration: configuration, transport: KubeHTTPTransport()),
      raw: KubeRawAPI(configuration: configuration), nodeName: nodeName, namespaces: namespaces,
      rules: rules, restartCount: restartCount, terminationDelay: terminationDelay,
      pollInterval: pollInterval, subnet: Int.random(in: 1...254))
    try await worker.registerNode(capacity: capacity)
    self.worker = worker
    task = Task { await worker.run() }
  }

  /// The errors the last polls met (failed writes, refused bindings), newest last, for a test
  /// that waits in vain to show.
  public var problems: [String] { worker.problems.withLock { $0 } }

  /// Stops tending pods and deletes the Node; kube-controller-manager's pod garbage collector then
  /// removes the pods left bound to it.
  public func stop() async {
    task.cancel()
    await task.value
    _ = try? await worker.raw.send("DELETE", "/api/v1/nodes/\(nodeName)")
  }

  deinit { task.cancel() }
}

extension PodStandIn {
  static let pods = KubeAPIResource(
    group: "", version: "v1", kind: "Pod", name: "pods", singularName: "pod", namespaced: true)
  static let nodes = KubeAPIResource(
    group: "", version: "v1", kind: "Node", name: "nodes", singularName: "node", namespaced: false)
}
