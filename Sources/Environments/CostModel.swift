/// The node pool the environment's pods are scheduled on (for the capacity check).
public struct NodePool: Sendable, Equatable, Codable {
  /// The Azure VM size (`Standard_B2s`).
  public var vmSize: String
  /// Virtual CPUs per node.
  public var vcpus: Int
  /// Memory per node (a Kubernetes quantity, `4Gi`).
  public var memory: String
  /// How many nodes (fixed size: autoscaling is off in dev).
  public var count: Int
  /// The most pods one node takes (AKS `--max-pods`).
  public var maxPods: Int
  /// Spot instances (can be evicted; cheaper).
  public var spot: Bool?
  /// The availability zone.
  public var zone: String?
}

/// What the environment costs each month, and its budget.
public struct CostModel: Sendable, Equatable, Codable {
  /// The currency of every amount (`USD`).
  public var currency: String
  /// The monthly budget.
  public var monthlyBudget: Double
  /// The monthly cost lines, as the design document lists them.
  public var lines: [CostLine]
}

/// One monthly cost line.
public struct CostLine: Sendable, Equatable, Codable {
  /// What is paid for (`node pool B2s x 2 (Spot)`).
  public var item: String
  /// The monthly amount.
  public var monthly: Double
  /// Whether the line shrinks while the environment sleeps (compute does; disks do not).
  public var scalesWithSchedule: Bool?
}

/// When the environment sleeps: outside the awake windows its Deployments are scaled to zero;
/// StatefulSets keep running so their data stays.
public struct ShutdownSchedule: Sendable, Equatable, Codable {
  /// An IANA time zone (`Asia/Seoul`).
  public var timezone: String
  /// The days the environment is awake (`Mon` ... `Sun`).
  public var days: [String]
  /// The local time it wakes (`08:00`).
  public var wake: String
  /// The local time it goes to sleep (`20:00`).
  public var sleep: String
}
