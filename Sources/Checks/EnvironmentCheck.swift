import Environments

/// Everything `tripgen check` found for one environment: the findings of every check, the capacity
/// table and the cost estimate (nil when the environment has no node pool or cost model).
public struct CheckReport: Sendable, Equatable, Codable {
  public var environment: String
  public var revision: String
  /// How many rendered objects were checked.
  public var objects: Int
  public var capacity: CapacityReport?
  public var cost: CostReport?
  public var findings: [CheckFinding]
  /// Checks that could not run, and why (`capacity: no nodePool in environment.yaml`).
  public var skipped: [String]

  /// No errors: the environment may go to a cluster.
  public var passed: Bool

  public init(
    environment: String, revision: String, objects: Int, capacity: CapacityReport?,
    cost: CostReport?, findings: [CheckFinding], skipped: [String]
  ) {
    self.environment = environment
    self.revision = revision
    self.objects = objects
    self.capacity = capacity
    self.cost = cost
    self.findings = findings
    self.skipped = skipped
    self.passed = !findings.contains { $0.severity == .error }
  }

  public var errors: [CheckFinding] { findings.filter { $0.severity == .error } }
  public var warnings: [CheckFinding] { findings.filter { $0.severity == .warning } }
}

/// Runs every offline check on an environment's desired state: Kubernetes schemas, capacity, cost
/// and policy.
public enum EnvironmentCheck {
  /// Checks `state`, rendered from `files` (whose values files the secret scan reads), for a
  /// cluster running `kubernetesVersion`.
  public static func run(
    _ state: DesiredState, files: some SourceFiles,
    kubernetesVersion: String = KubernetesSchemas.kubernetesVersion
  ) -> CheckReport {
    let spec = state.environment.spec
    var findings = SchemaCheck.run(state.objects)
    var skipped: [String] = []
    var capacity: CapacityReport?
    if let pool = spec.nodePool {
      let result = CapacityCheck.run(
        state.objects, pool: pool, kubernetesVersion: kubernetesVersion)
      capacity = result.report
      findings += result.findings
    } else {
      skipped.append("capacity: the environment has no spec.nodePool")
    }
    var cost: CostReport?
    if let model = spec.cost {
      let result = CostCheck.run(model, schedule: spec.schedule)
      cost = result.report
      findings += result.findings
    } else {
      skipped.append("cost: the environment has no spec.cost")
    }
    findings += PolicyCheck.run(state.objects)
    findings += SecretValueScan.run(state.environment, files: files)
    return CheckReport(
      environment: state.environment.name, revision: state.revision, objects: state.objects.count,
      capacity: capacity, cost: cost, findings: findings, skipped: skipped)
  }
}
