/// What AKS keeps for itself on each Linux node, so what is left for pods (allocatable).
///
/// Source: Microsoft, "Node resource reservations in Azure Kubernetes Service (AKS)",
/// https://learn.microsoft.com/azure/aks/node-resource-reservations (read November 2026).
///
/// - CPU (kube-reserved), by cores on the host: 1: 60m, 2: 100m, 4: 140m, 8: 180m, 16: 260m,
///   32: 420m, 64: 740m. For a core count between two rows the smaller row is used.
/// - Memory, AKS 1.29 and later: kube-reserved = min(20 MiB x maxPods + 50 MiB, 25% of the
///   node's memory), plus the kubelet's eviction threshold `memory.available < 100Mi`.
/// - Memory, before 1.29: kube-reserved is regressive (25% of the first 4 GiB, 20% of the next
///   4 GiB, 10% of the next 8 GiB, 6% of the next 112 GiB, 2% above 128 GiB), plus an eviction
///   threshold of 750Mi.
///
/// allocatable = node capacity - kube-reserved - eviction threshold. The document writes "MB" and
/// "GB"; AKS configures the kubelet in MiB, so MiB are used here. The node's capacity is the VM
/// size's nominal memory from the environment file (the kernel reports a little less).
public struct AKSNodeReservations: Sendable, Equatable, Codable {
  /// Reserved CPU per node, in cores.
  public var kubeReservedCPU: Double
  /// Reserved memory per node, in bytes.
  public var kubeReservedMemory: Double
  /// The kubelet's hard eviction threshold, in bytes.
  public var evictionThreshold: Double
  /// The formula used, for the report.
  public var formula: String

  static let mebibyte = 1024.0 * 1024
  static let gibibyte = 1024 * mebibyte

  /// The CPU table: cores on the host and the millicores reserved.
  static let cpuTable: [(cores: Int, millicores: Double)] = [
    (1, 60), (2, 100), (4, 140), (8, 180), (16, 260), (32, 420), (64, 740),
  ]

  /// The reservations on a node with `vcpus` cores and `memory` bytes that takes at most `maxPods`
  /// pods, for a cluster running Kubernetes `kubernetesVersion` (`1.29.0`).
  public init(vcpus: Int, memory: Double, maxPods: Int, kubernetesVersion: String) {
    let row = Self.cpuTable.last { $0.cores <= max(vcpus, 1) } ?? Self.cpuTable[0]
    kubeReservedCPU = row.millicores / 1000
    let parts = kubernetesVersion.split(separator: ".").compactMap { Int($0) }
    let atLeast129 = parts.count >= 2 && (parts[0], parts[1]) >= (1, 29)
    if atLeast129 {
      let perPods = 20 * Self.mebibyte * Double(maxPods) + 50 * Self.mebibyte
      kubeReservedMemory = min(perPods, 0.25 * memory)
      evictionThreshold = 100 * Self.mebibyte
      formula =
        "AKS >= 1.29: cpu reserved \(Int(row.millicores))m (\(vcpus) cores); memory reserved "
        + "min(20Mi x \(maxPods) pods + 50Mi, 25% of node) + 100Mi eviction threshold"
    } else {
      var remaining = memory
      var reserved = 0.0
      for (size, rate) in [(4.0, 0.25), (4.0, 0.20), (8.0, 0.10), (112.0, 0.06)] {
        let slice = min(remaining, size * Self.gibibyte)
        reserved += slice * rate
        remaining -= slice
      }
      reserved += max(remaining, 0) * 0.02
      kubeReservedMemory = reserved
      evictionThreshold = 750 * Self.mebibyte
      formula =
        "AKS < 1.29: cpu reserved \(Int(row.millicores))m (\(vcpus) cores); memory reserved "
        + "25%/20%/10%/6%/2% tiers + 750Mi eviction threshold"
    }
  }

  /// What pods may request on one node of `vcpus` cores and `memory` bytes.
  public func allocatable(vcpus: Int, memory: Double) -> (cpu: Double, memory: Double) {
    (Double(vcpus) - kubeReservedCPU, memory - kubeReservedMemory - evictionThreshold)
  }
}

/// The pods AKS itself runs, which take pod slots (maxPods) on the pool. An assumption, documented:
/// a Linux node of a cluster with Azure CNI and Azure network policies runs the DaemonSet pods
/// kube-proxy, azure-cns, azure-npm, azure-ip-masq-agent, cloud-node-manager, csi-azuredisk-node
/// and csi-azurefile-node (7 per node); the cluster runs coredns (2), coredns-autoscaler,
/// metrics-server (2), konnectivity-agent (2) and one ingress controller (8 in all).
public enum AKSSystemPods {
  /// DaemonSet pods on every node.
  public static let perNode = 7
  /// Add-on pods of the whole cluster.
  public static let perCluster = 8
}
