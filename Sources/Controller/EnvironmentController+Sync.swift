import Delivery
import Environments
import Foundation
import Git
import GitOps
import Kube

/// One sync the controller runs: the environment at a commit, through ``Delivery`` (images bound
/// from the environment's registry with the pod's credentials, the charts rendered, the schedule
/// applied, then the engine's sync: dry-run validation, waves, hooks, prune per the policy,
/// inventory and history).
///
/// The engine does not retry here: the controller owns retries (backoff per the policy, a new
/// revision or a person's sync starting afresh), and one engine attempt is one controller attempt.
struct EnvironmentSyncRun: Sendable {
  var engine: GitOpsEngine
  var images: ImageStores
  var repository: GitRepository
  var environment: Environment
  var commit: Commit
  var trigger: SyncTrigger
  /// Seconds a wave (or hook) may take to become healthy, as `tripgen sync --timeout`.
  var waveTimeout: Double
  /// Asked before every write; a throw stops the sync (the lease was lost).
  var writeGate: @Sendable () async throws -> Void

  /// Renders, applies and (per the policy) prunes; never throws: failures are an outcome.
  /// Cancelling stops between two applies, so every object is either applied or not.
  func run() async -> SyncOutcome {
    let desired: DesiredState
    do {
      desired = try await desiredState()
    } catch let error as EnvironmentError {
      return SyncOutcome(
        result: .failed,
        message:
          "\(ControllerError.environment(name: environment.name, revision: commit.id.hex, error))")
    } catch {
      return SyncOutcome(
        result: .failed,
        message: "environment \(environment.name) at \(commit.id.short): \(error)")
    }
    var options = SyncOptions()
    options.writeGate = writeGate
    options.prune = environment.spec.syncPolicy.prune
    options.retry = SyncPolicy.Retry(limit: 0)
    options.timeout = waveTimeout
    options.trigger = "controller (\(trigger.rawValue))"
    do {
      let result = try await Delivery.sync(desired, on: engine, options: options)
      let objects = result.plan.objects.filter { $0.hook == nil }
      let applied = objects.compactMap { planned -> AppliedObject? in
        guard let wanted = planned.desired else { return nil }
        // What the server stores: its answer to the apply, or the object the plan read. The
        // watches keep it current afterwards.
        return AppliedObject(
          key: planned.key, desired: wanted,
          live: result.written[planned.key] ?? planned.live ?? planned.predicted ?? wanted)
      }
      let message =
        result.outcome == .unchanged
        ? "\(objects.count) objects already equal to \(commit.id.short)"
        : "applied \(result.applied.count) and pruned \(result.pruned.count) of \(objects.count) objects at \(commit.id.short)"
      return SyncOutcome(
        result: .succeeded, message: message, applied: applied,
        changed: result.applied + result.pruned, images: desired.images)
    } catch GitOpsError.cancelled(let applied) {
      return SyncOutcome(
        result: .cancelled, message: "stopped after applying \(applied.count) objects",
        changed: applied, images: desired.images)
    } catch {
      return SyncOutcome(
        result: .failed, message: Self.explained(error),
        failedObject: (error as? GitOpsError)?.object, images: desired.images)
    }
  }

  /// The environment at the commit, images bound from its registry: what the sync applies.
  func desiredState() async throws -> DesiredState {
    try await Delivery(
      source: EnvironmentSource(repository: repository, workingTree: nil),
      images: StoreImageBindings(repository: repository, stores: images)
    ).desiredState(of: environment.name, at: .commit(commit.id))
  }

  /// The error for the status page and the logs; a permission the controller lacks says where
  /// its permissions are granted.
  static func explained(_ error: any Error) -> String {
    let text = "\(error)"
    guard text.contains(KubeError.forbiddenHint) else { return text }
    return text
      + " (the controller's permissions are the Role of charts/tripgen-controller: add the rule to rbac.rules in its values)"
  }
}
