import Environments

/// One line of the capacity table: a workload and what its pods ask for in all.
public struct CapacityRow: Sendable, Equatable, Codable {
  /// `Deployment tripgen-dev/user-service`.
  public var workload: String
  public var pods: Int
  /// Cores and bytes, summed over the workload's pods.
  public var cpuRequest: Double
  public var memoryRequest: Double
  public var cpuLimit: Double
  public var memoryLimit: Double
  /// Why the row is counted the way it is (`largest of 3 hook Jobs`), when it is not obvious.
  public var note: String?
}

/// The node pool against what the environment schedules.
public struct CapacityReport: Sendable, Equatable, Codable {
  public var vmSize: String
  public var nodes: Int
  public var reservations: AKSNodeReservations
  /// Per node, cores and bytes.
  public var allocatableCPUPerNode: Double
  public var allocatableMemoryPerNode: Double
  /// The whole pool.
  public var allocatableCPU: Double
  public var allocatableMemory: Double
  public var rows: [CapacityRow]
  public var requestedCPU: Double
  public var requestedMemory: Double
  public var limitCPU: Double
  public var limitMemory: Double
  /// The environment's pods, and AKS's own (the documented assumption in `AKSSystemPods`).
  public var pods: Int
  public var systemPods: Int
  /// maxPods x nodes.
  public var podCapacity: Int

  /// What is left of the pool after the requests (negative: they do not fit).
  public var cpuHeadroom: Double
  public var memoryHeadroom: Double
  /// Pod slots left after the environment's pods and AKS's own.
  public var podHeadroom: Int
}

/// Sums the requests of everything scheduled (workloads, and the largest hook Job since hooks run
/// one after the other) and compares them with the node pool's allocatable CPU and memory after
/// AKS's reservations, and the pods with maxPods; warns when limits overcommit the pool.
public enum CapacityCheck {
  public static func run(
    _ objects: [RenderedObject], pool: NodePool, kubernetesVersion: String
  ) -> (report: CapacityReport?, findings: [CheckFinding]) {
    guard let nodeMemory = ResourceQuantity.parse(pool.memory) else {
      return (
        nil,
        [
          CheckFinding(
            check: .capacity, severity: .error, field: "spec.nodePool.memory",
            message: "\"\(pool.memory)\" is not a Kubernetes quantity (write 4Gi)")
        ]
      )
    }
    let reservations = AKSNodeReservations(
      vcpus: pool.vcpus, memory: nodeMemory, maxPods: pool.maxPods,
      kubernetesVersion: kubernetesVersion)
    let perNode = reservations.allocatable(vcpus: pool.vcpus, memory: nodeMemory)
    let templates = PodTemplate.all(in: objects)
    var rows: [CapacityRow] = []
    var findings: [CheckFinding] = []

    func row(_ template: PodTemplate, note: String? = nil) -> CapacityRow {
      let pods = template.perNode ? template.pods * pool.count : template.pods
      let requests = template.effective("requests")
      let limits = template.effective("limits")
      return CapacityRow(
        workload: template.object.key.displayName, pods: pods,
        cpuRequest: requests.cpu * Double(pods), memoryRequest: requests.memory * Double(pods),
        cpuLimit: limits.cpu * Double(pods), memoryLimit: limits.memory * Double(pods),
        note: note ?? (template.perNode ? "one per node" : nil))
    }
    for template in templates where !template.isHook { rows.append(row(template)) }
    let hooks = templates.filter(\.isHook)
    if let largest = hooks.max(by: { first, second in
      let a = first.effective("requests")
      let b = second.effective("requests")
      return (a.memory * Double(first.pods), a.cpu * Double(first.pods))
        < (b.memory * Double(second.pods), b.cpu * Double(second.pods))
    }) {
      rows.append(
        row(
          largest,
          note: hooks.count > 1
            ? "largest of \(hooks.count) hooks (they run one at a time)" : "hook"))
    }

    // A pod cannot be split across nodes: each must fit one node.
    for template in templates {
      let requests = template.effective("requests")
      if requests.cpu > perNode.cpu || requests.memory > perNode.memory {
        findings.append(
          CheckFinding(
            check: .capacity, severity: .error, object: template.object.key.displayName,
            source: template.object.source,
            field: template.specPath + ".containers[*].resources.requests",
            message:
              "one pod requests \(ResourceQuantity.formatCPU(requests.cpu)) CPU and "
              + "\(ResourceQuantity.formatMemory(requests.memory)) memory, more than one "
              + "\(pool.vmSize) node can give (\(ResourceQuantity.formatCPU(perNode.cpu)) CPU, "
              + "\(ResourceQuantity.formatMemory(perNode.memory)) allocatable); it would stay Pending. "
              + "Lower the requests or choose a larger VM size"))
      }
    }

    let total = rows.reduce(into: (0.0, 0.0, 0.0, 0.0, 0)) { sum, row in
      sum.0 += row.cpuRequest
      sum.1 += row.memoryRequest
      sum.2 += row.cpuLimit
      sum.3 += row.memoryLimit
      sum.4 += row.pods
    }
    let systemPods = AKSSystemPods.perNode * pool.count + AKSSystemPods.perCluster
    let report = CapacityReport(
      vmSize: pool.vmSize, nodes: pool.count, reservations: reservations,
      allocatableCPUPerNode: perNode.cpu, allocatableMemoryPerNode: perNode.memory,
      allocatableCPU: perNode.cpu * Double(pool.count),
      allocatableMemory: perNode.memory * Double(pool.count), rows: rows,
      requestedCPU: total.0, requestedMemory: total.1, limitCPU: total.2, limitMemory: total.3,
      pods: total.4, systemPods: systemPods, podCapacity: pool.maxPods * pool.count,
      cpuHeadroom: perNode.cpu * Double(pool.count) - total.0,
      memoryHeadroom: perNode.memory * Double(pool.count) - total.1,
      podHeadroom: pool.maxPods * pool.count - total.4 - systemPods)

    func consumers(_ value: (CapacityRow) -> Double, format: (Double) -> String) -> String {
      rows.sorted { value($0) > value($1) }.prefix(3).map { "\($0.workload) \(format(value($0)))" }
        .joined(separator: ", ")
    }
    let pool = "\(pool.count) x \(pool.vmSize)"
    if report.requestedCPU > report.allocatableCPU {
      findings.append(
        CheckFinding(
          check: .capacity, severity: .error,
          message:
            "CPU requests \(ResourceQuantity.formatCPU(report.requestedCPU)) exceed the "
            + "allocatable \(ResourceQuantity.formatCPU(report.allocatableCPU)) of \(pool); "
            + "largest: \(consumers(\.cpuRequest, format: ResourceQuantity.formatCPU))"))
    }
    if report.requestedMemory > report.allocatableMemory {
      findings.append(
        CheckFinding(
          check: .capacity, severity: .error,
          message:
            "memory requests \(ResourceQuantity.formatMemory(report.requestedMemory)) exceed the "
            + "allocatable \(ResourceQuantity.formatMemory(report.allocatableMemory)) of \(pool); "
            + "largest: \(consumers(\.memoryRequest, format: ResourceQuantity.formatMemory))"))
    }
    if report.podHeadroom < 0 {
      findings.append(
        CheckFinding(
          check: .capacity, severity: .error,
          message:
            "\(report.pods) pods plus about \(report.systemPods) AKS system pods exceed "
            + "maxPods \(report.podCapacity) of \(pool); raise maxPods or add nodes"))
    }
    if report.limitCPU > report.allocatableCPU {
      findings.append(
        CheckFinding(
          check: .capacity, severity: .warning,
          message:
            "CPU limits \(ResourceQuantity.formatCPU(report.limitCPU)) overcommit the allocatable "
            + "\(ResourceQuantity.formatCPU(report.allocatableCPU)) (pods are throttled when all are "
            + "busy); largest: \(consumers(\.cpuLimit, format: ResourceQuantity.formatCPU))"))
    }
    if report.limitMemory > report.allocatableMemory {
      findings.append(
        CheckFinding(
          check: .capacity, severity: .warning,
          message:
            "memory limits \(ResourceQuantity.formatMemory(report.limitMemory)) overcommit the "
            + "allocatable \(ResourceQuantity.formatMemory(report.allocatableMemory)) (pods may be "
            + "evicted or OOM-killed under pressure); largest: "
            + consumers(\.memoryLimit, format: ResourceQuantity.formatMemory)))
    }
    return (report, findings)
  }
}
