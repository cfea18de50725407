import Environments
import GitOps
import Kube

/// The plan of a run: the GitOps engine's plan against the environment's cluster when it can be
/// reached (server-side dry runs, the environment's ignored fields, prune from its inventory), or,
/// when it cannot, everything created in an empty cluster, said as such.
struct ClusterPlan {
  /// A cluster the plan can be computed against, or why there is none.
  enum Target {
    case cluster(KubeClient, context: String)
    case empty(reason: String)
  }

  /// Connects to the environment's cluster: the kubeconfig (or in-cluster account) at hand, the
  /// environment's context unless one is given; reachable when the API server answers discovery.
  static func connect(
    environment: Environment, options: CIOptions
  ) async -> Target {
    let context = options.kubeContext ?? environment.spec.cluster.context
    var configuration: KubeClientConfiguration
    do {
      configuration = try KubeClientConfiguration.load(
        kubeconfig: options.kubeconfig, context: context,
        environment: options.processEnvironment)
    } catch {
      return .empty(reason: "no cluster credentials: \(error)")
    }
    // A plan should not wait half a minute for a cluster that is not there.
    configuration.timeout = 10
    configuration.namespace = environment.spec.namespace
    let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    do {
      _ = try await client.restMapper()
    } catch {
      return .empty(reason: "the cluster at \(configuration.server) is not reachable: \(error)")
    }
    return .cluster(client, context: context ?? "current context")
  }

  /// The summary of the engine's plan: counts, and the masked diff of each object it writes,
  /// prunes or runs as a hook. Unchanged objects count but show no diff.
  static func summary(of plan: SyncPlan) -> CIReport.PlanSummary {
    let all = plan.objects + plan.prune
    let changes = all.filter { $0.action != .unchanged }.map { object in
      CIReport.ObjectChange(
        object: object.key.description, action: object.action.rawValue,
        diff: plan.diff(object).unifiedDiff())
    }
    func count(_ action: PlannedAction) -> Int { all.filter { $0.action == action }.count }
    return CIReport.PlanSummary(
      against: "cluster", note: nil, create: count(.create), update: count(.update),
      unchanged: count(.unchanged), prune: count(.prune), changes: changes)
  }

  /// Without a cluster: every rendered object would be created (Secrets masked by the diff).
  static func emptyClusterSummary(of desired: DesiredState, reason: String)
    -> CIReport.PlanSummary
  {
    let changes = desired.objects.map {
      CIReport.ObjectChange(
        object: $0.key.description, action: PlannedAction.create.rawValue,
        diff: ObjectDiff(live: nil, desired: $0.object).unifiedDiff())
    }
    return CIReport.PlanSummary(
      against: "empty", note: reason, create: changes.count, update: 0, unchanged: 0,
      prune: 0, changes: changes)
  }
}
