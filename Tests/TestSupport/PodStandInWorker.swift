import Collections
import Foundation
import Kube
import Synchronization
import YAML

extension PodStandIn {
  /// The polling loop and what it writes. Apart from ``PodStandIn`` so that the loop's task does
  /// not keep the stand-in alive: releasing the stand-in cancels the loop.
  final class Worker: Sendable {
    let client: KubeClient
    let raw: KubeRawAPI
    let nodeName: String
    let namespaces: [String]
    let rules: [Rule]
    let restartCount: Int
    let terminationDelay: Duration
    let pollInterval: Duration
    /// The third octet of the pod addresses (`10.244.N.0/24`, the Node's podCIDR), random so that
    /// stand-ins sharing a cluster seldom hand out the same addresses.
    let subnet: Int
    let problems = Mutex<[String]>([])

    /// The address the Node reports, and the pods' hostIP.
    static let nodeAddress = "127.0.0.1"

    init(
      client: KubeClient, raw: KubeRawAPI, nodeName: String, namespaces: [String], rules: [Rule],
      restartCount: Int, terminationDelay: Duration, pollInterval: Duration, subnet: Int
    ) {
      self.client = client
      self.raw = raw
      self.nodeName = nodeName
      self.namespaces = namespaces
      self.rules = rules
      self.restartCount = restartCount
      self.terminationDelay = terminationDelay
      self.pollInterval = pollInterval
      self.subnet = subnet
    }

    /// What the loop remembers of a pod.
    struct Tended {
      var namespace: String
      var firstSeen: ContinuousClock.Instant
      /// When its containers "started": the pod's startTime and their startedAt.
      var started: String
      var ip: String
      /// The outcome last written, to write each once (a rule may change its mind: a pod not
      /// ready becomes ready when its image "finished pulling").
      var written: Outcome?
      /// Whether the stand-in has finished its deletion.
      var deleted = false
    }

    /// A terminal outcome shows the pod running first (`starting`), then `settled`.
    enum Stage: Equatable {
      case starting
      case settled
    }

    // MARK: - Node

    /// Creates (or takes over) the Node and reports it Ready with `capacity`. The
    /// TaintNodesByCondition admission plugin gives a new Node the `not-ready` taint, which the node
    /// lifecycle controller lifts once the Node is Ready; that controller does not run here (it
    /// would mark a Node without kubelet heartbeats unready), so the stand-in lifts the taint.
    func registerNode(capacity: [String: String]) async throws {
      let labels: JSONValue = [
        "kubernetes.io/hostname": .string(nodeName), "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64", "node.kubernetes.io/instance-type": "stand-in",
      ]
      let cidr = "10.244.\(subnet).0/24"
      _ = try await client.apply(
        [
          "apiVersion": "v1", "kind": "Node",
          "metadata": ["name": .string(nodeName), "labels": labels],
          "spec": ["podCIDR": .string(cidr), "podCIDRs": [.string(cidr)]],
        ], fieldManager: PodStandIn.fieldManager, force: true)
      let now = Self.timestamp(Date())
      func condition(_ type: String, _ status: String, _ reason: String, _ message: String)
        -> JSONValue
      {
        [
          "type": .string(type), "status": .string(status), "reason": .string(reason),
          "message": .string(message), "lastHeartbeatTime": .string(now),
          "lastTransitionTime": .string(now),
        ]
      }
      let resources = JSONValue.object(
        OrderedDictionary(
          uniqueKeysWithValues: capacity.sorted { $0.key < $1.key }.map {
            ($0.key, JSONValue.string($0.value))
          }))
      _ = try await client.apply(
        [
          "apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(nodeName)],
          "status": [
            "capacity": resources, "allocatable": resources,
            "conditions": [
              condition(
                "MemoryPressure", "False", "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available"),
              condition(
                "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
              condition(
                "PIDPressure", "False", "KubeletHasSufficientPID",
                "kubelet has sufficient PID available"),
              condition(
                "Ready", "True", "KubeletReady",
                "a PodStandIn reports this node: pods bound here get a status, no container runs"),
            ],
            "addresses": [
              ["type": "InternalIP", "address": .string(Self.nodeAddress)],
              ["type": "Hostname", "address": .string(nodeName)],
            ],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
            "nodeInfo": [
              "machineID": .string(nodeName), "systemUUID": .string(nodeName),
              "bootID": .string(nodeName), "kernelVersion": "stand-in", "osImage": "PodStandIn",
              "containerRuntimeVersion": "stand-in://0", "kubeletVersion": "v0.0.0-stand-in",
              "operatingSystem": "linux", "architecture": "amd64",
            ],
          ],
        ], fieldManager: PodStandIn.fieldManager, force: true, subresource: "status")
      let node = try await client.get(PodStandIn.nodes, name: nodeName)
      let taints = node["spec"]?["taints"]?.arrayValue ?? []
      let kept = taints.filter { $0["key"]?.stringValue != "node.kubernetes.io/not-ready" }
      if kept.count != taints.count {
        let spec = (node["spec"] ?? [:]).setting("taints", kept.isEmpty ? nil : .array(kept))
        _ = try await client.update(
          node.setting("spec", spec), fieldManager: PodStandIn.fieldManager)
      }
    }

    // MARK: - Pods

    /// Lists each namespace's pods every `pollInterval` and tends each, until cancelled. Errors are
    /// kept in ``problems`` and the loop goes on: the next poll tries again.
    func run() async {
      var tended: [String: Tended] = [:]
      var nextHost = 2
      while !Task.isCancelled {
        for namespace in namespaces {
          let list: KubeList
          do {
            list = try await client.list(PodStandIn.pods, namespace: namespace)
          } catch {
            if Task.isCancelled { return }
            note("listing the pods of \(namespace): \(error)")
            continue
          }
          var present = Set<String>()
          for pod in list.items {
            guard let uid = pod["metadata"]?["uid"]?.stringValue else { continue }
            present.insert(uid)
            var record =
              tended[uid]
              ?? Tended(
                namespace: namespace, firstSeen: .now, started: Self.timestamp(Date()),
                ip: "10.244.\(subnet).\(nextHost)")
            if tended[uid] == nil { nextHost = nextHost >= 254 ? 2 : nextHost + 1 }
            do {
              try await tend(pod, &record)
            } catch {
              if Task.isCancelled { return }
              note("pod \(namespace)/\(pod["metadata"]?["name"]?.stringValue ?? uid): \(error)")
            }
            tended[uid] = record
          }
          tended = tended.filter { $0.value.namespace != namespace || present.contains($0.key) }
        }
        try? await Task.sleep(for: pollInterval)
      }
    }

    private func note(_ problem: String) {
      problems.withLock { problems in
        problems.append(problem)
        if problems.count > 20 { problems.removeFirst(problems.count - 20) }
      }
    }

    /// One step for one pod: finish its deletion, or bind it, or write the status of its stage.
    private func tend(_ pod: JSONValue, _ record: inout Tended) async throws {
      let metadata = pod["metadata"] ?? [:]
      let name = metadata["name"]?.stringValue ?? ""
      let namespace = record.namespace
      let boundTo = pod["spec"]?["nodeName"]?.stringValue ?? ""
      // Another node's pod: its kubelet's business.
      guard boundTo.isEmpty || boundTo == nodeName else { return }
      let phase = pod["status"]?["phase"]?.stringValue ?? ""
      let terminal = phase == "Succeeded" || phase == "Failed"

      if metadata["deletionTimestamp"] != nil {
        // Once deleted with grace period 0, only finalizers (the Job controller's) hold it.
        guard !record.deleted, metadata["deletionGracePeriodSeconds"]?.intValue != 0 else { return }
        if !boundTo.isEmpty && !terminal {
          // As a kubelet does before it lets the pod go: its containers stopped on SIGTERM.
          try await writeStatus(
            of: pod, status(for: pod, outcome: .failed, record: record, exitCode: 143))
        }
        do {
          try await raw.json(
            "DELETE", "/api/v1/namespaces/\(namespace)/pods/\(name)",
            body: [
              "apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0,
              "preconditions": ["uid": metadata["uid"] ?? .null],
            ])
        } catch let error as KubeError where [404, 409].contains(error.status?.code ?? 0) {
          // Gone already, or replaced by a pod of the same name: nothing left to finish.
        }
        record.deleted = true
        return
      }

      // A kubelet never changes a pod that has finished.
      guard !terminal else { return }

      if boundTo.isEmpty {
        do {
          try await raw.json(
            "POST", "/api/v1/namespaces/\(namespace)/pods/\(name)/binding",
            body: [
              "apiVersion": "v1", "kind": "Binding",
              "metadata": ["name": .string(name), "namespace": .string(namespace)],
              "target": ["apiVersion": "v1", "kind": "Node", "name": .string(nodeName)],
            ])
        } catch let error as KubeError where error.status?.code == 409 {
          // Bound meanwhile (by another stand-in): the next poll sees to whom.
          return
        }
      }

      let outcome = outcome(of: pod)
      let stage: Stage =
        outcome.isTerminal && record.firstSeen.duration(to: .now) < terminationDelay
        ? .starting : .settled
      let shown = stage == .starting ? .running : outcome
      guard record.written != shown else { return }
      try await writeStatus(of: pod, status(for: pod, outcome: shown, record: record))
      record.written = shown
    }

    private func outcome(of pod: JSONValue) -> Outcome {
      if let label = pod["metadata"]?["labels"]?[PodStandIn.outcomeLabel]?.stringValue,
        let outcome = Outcome(rawValue: label)
      {
        return outcome
      }
      if let rule = rules.first(where: { $0.matches(pod) }) { return rule.outcome }
      let owners = pod["metadata"]?["ownerReferences"]?.arrayValue ?? []
      if owners.contains(where: { $0["kind"]?.stringValue == "Job" }) { return .succeeded }
      return .running
    }

    /// Server-side apply of the status as the stand-in: it owns the fields it writes, and its
    /// next write replaces them without reading the pod first.
    private func writeStatus(of pod: JSONValue, _ status: JSONValue) async throws {
      _ = try await client.apply(
        [
          "apiVersion": "v1", "kind": "Pod",
          "metadata": [
            "name": pod["metadata"]?["name"] ?? .null,
            "namespace": pod["metadata"]?["namespace"] ?? .null,
          ],
          "status": status,
        ], fieldManager: PodStandIn.fieldManager, force: true, subresource: "status")
    }

    /// The status a kubelet would report for `outcome`. Init containers have completed (or, as
    /// sidecars with restartPolicy Always, run); the outcome is the app containers'.
    /// `exitCode` is the one a `failed` outcome reports.
    func status(for pod: JSONValue, outcome: Outcome, record: Tended, exitCode: Int = 1)
      -> JSONValue
    {
      let now = Self.timestamp(Date())
      let podName = pod["metadata"]?["name"]?.stringValue ?? ""
      let podNamespace = pod["metadata"]?["namespace"]?.stringValue ?? ""
      let podUID = pod["metadata"]?["uid"]?.stringValue ?? ""
      let phase: String
      switch outcome {
      case .running, .notReady, .crashLoopBackOff, .oomKilled: phase = "Running"
      case .succeeded: phase = "Succeeded"
      case .failed: phase = "Failed"
      case .imagePullBackOff: phase = "Pending"
      }
      let terminal = outcome.isTerminal
      let ready = outcome == .running

      func container(
        _ spec: JSONValue, state: JSONValue, lastState: JSONValue = [:], ready: Bool,
        started: Bool, restarts: Int = 0, created: Bool = true
      ) -> JSONValue {
        let name = spec["name"]?.stringValue ?? ""
        let image = spec["image"]?.stringValue ?? ""
        var fields: OrderedDictionary<String, JSONValue> = [
          "name": .string(name), "state": state, "lastState": lastState, "ready": .bool(ready),
          "restartCount": .int(restarts), "image": .string(image),
          "imageID": .string(created ? "stand-in/\(image)" : ""),
        ]
        if created { fields["containerID"] = .string("stand-in://\(podUID)/\(name)") }
        fields["started"] = .bool(started)
        return .object(fields)
      }
      let running: JSONValue = ["running": ["startedAt": .string(record.started)]]
      func terminated(_ code: Int, _ reason: String) -> JSONValue {
        [
          "terminated": [
            "exitCode": .int(code), "reason": .string(reason),
            "startedAt": .string(record.started), "finishedAt": .string(now),
          ]
        ]
      }
      func backOff(_ name: String) -> JSONValue {
        [
          "waiting": [
            "reason": "CrashLoopBackOff",
            "message": .string(
              "back-off 40s restarting failed container=\(name) pod=\(podName)_\(podNamespace)(\(podUID))"
            ),
          ]
        ]
      }

      let containers = (pod["spec"]?["containers"]?.arrayValue ?? []).map { spec in
        let name = spec["name"]?.stringValue ?? ""
        switch outcome {
        case .running: return container(spec, state: running, ready: true, started: true)
        case .notReady: return container(spec, state: running, ready: false, started: true)
        case .succeeded:
          return container(spec, state: terminated(0, "Completed"), ready: false, started: false)
        case .failed:
          return container(spec, state: terminated(exitCode, "Error"), ready: false, started: false)
        case .crashLoopBackOff:
          return container(
            spec, state: backOff(name), lastState: terminated(1, "Error"), ready: false,
            started: false, restarts: restartCount)
        case .oomKilled:
          return container(
            spec, state: backOff(name), lastState: terminated(137, "OOMKilled"), ready: false,
            started: false, restarts: restartCount)
        case .imagePullBackOff:
          let image = spec["image"]?.stringValue ?? ""
          return container(
            spec,
            state: [
              "waiting": [
                "reason": "ImagePullBackOff",
                "message": .string("Back-off pulling image \"\(image)\""),
              ]
            ], ready: false, started: false, created: false)
        }
      }
      let initContainers = (pod["spec"]?["initContainers"]?.arrayValue ?? []).map { spec in
        if spec["restartPolicy"]?.stringValue == "Always" && !terminal {
          return container(spec, state: running, ready: true, started: true)
        }
        return container(spec, state: terminated(0, "Completed"), ready: true, started: false)
      }

      let unready = containers.compactMap { status -> String? in
        status["ready"]?.boolValue == true ? nil : status["name"]?.stringValue
      }
      func condition(_ type: String, _ holds: Bool, reason: String? = nil, message: String? = nil)
        -> JSONValue
      {
        var fields: OrderedDictionary<String, JSONValue> = [
          "type": .string(type), "status": holds ? "True" : "False",
          "lastTransitionTime": .string(now),
        ]
        if let reason { fields["reason"] = .string(reason) }
        if let message { fields["message"] = .string(message) }
        return .object(fields)
      }
      let notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady"
      let notReadyMessage =
        terminal ? nil : "containers with unready status: [\(unready.joined(separator: " "))]"
      var conditions = [
        condition("PodReadyToStartContainers", !terminal), condition("Initialized", true),
      ]
      for type in ["Ready", "ContainersReady"] {
        conditions.append(
          ready
            ? condition(type, true)
            : condition(type, false, reason: notReadyReason, message: notReadyMessage))
      }
      conditions.append(condition("PodScheduled", true))

      var status: OrderedDictionary<String, JSONValue> = [
        "phase": .string(phase), "conditions": .array(conditions),
        "hostIP": .string(Self.nodeAddress), "hostIPs": [["ip": .string(Self.nodeAddress)]],
        "podIP": .string(record.ip), "podIPs": [["ip": .string(record.ip)]],
        "startTime": .string(record.started), "containerStatuses": .array(containers),
      ]
      if !initContainers.isEmpty { status["initContainerStatuses"] = .array(initContainers) }
      return .object(status)
    }

    /// RFC 3339 in UTC, to the second, as the API writes times.
    static func timestamp(_ date: Date) -> String {
      date.formatted(.iso8601)
    }
  }
}
