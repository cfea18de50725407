import Environments
import Foundation
import GitOps
import Kube
import Registry
import YAML

/// The ``EnvironmentSyncer`` of `tripgen controller`: renders the environment at the commit with
/// its images bound by ``ImageResolver``, and syncs
/// with the ``GitOpsEngine`` (validation by server-side dry run, waves, hooks, prune per the
/// request, inventory and history in the environment's namespace).
///
/// The engine does not retry: the controller owns retries (backoff per the policy, a new revision
/// or a person's sync starting afresh), and one engine attempt is one controller attempt.
public struct GitOpsEnvironmentSyncer: EnvironmentSyncer {
  /// The engine every sync goes through (its client is the controller's).
  public let engine: GitOpsEngine
  /// Seconds a wave (or hook) may take to become healthy before the sync fails.
  public var waveTimeout: Double

  /// A syncer writing through `client`; `waveTimeout` as `tripgen sync --timeout` (300 s).
  public init(client: KubeClient, waveTimeout: Double = 300) {
    engine = GitOpsEngine(client: client)
    self.waveTimeout = waveTimeout
  }

  public func health(of object: JSONValue) -> (HealthStatus, String?) {
    let assessment = HealthAssessor.assess(object)
    return (Self.health(assessment.status), assessment.message)
  }

  public func sync(_ request: SyncRequest) async -> SyncOutcome {
    let revision = request.commit.id.hex
    let desired: DesiredState
    do {
      let bindings = try await ImageResolver(
        repository: request.repository, lookup: await Self.digestLookup(for: request.environment)
      ).bindings(for: request.environment, at: request.commit.id)
      desired = try await DesiredStateLoader(images: FixedImageBindings(bindings)).load(
        environment: request.environment.name, files: request.files, revision: revision)
    } catch let error as EnvironmentError {
      return SyncOutcome(
        result: .failed,
        message:
          "\(ControllerError.environment(name: request.environment.name, revision: revision, error))"
      )
    } catch {
      return SyncOutcome(
        result: .failed,
        message: "environment \(request.environment.name) at \(revision.prefix(7)): \(error)")
    }
    var options = SyncOptions()
    options.writeGate = request.writeGate
    options.prune = request.prune
    options.retry = SyncPolicy.Retry(limit: 0)
    options.timeout = waveTimeout
    options.trigger = "controller (\(request.trigger.rawValue))"
    do {
      let result = try await engine.sync(desired, options: options)
      let objects = result.plan.objects.filter { $0.hook == nil }
      let written = await liveObjects(result.applied, of: objects)
      let applied = objects.compactMap { planned -> AppliedObject? in
        guard let wanted = planned.desired else { return nil }
        // What the server stores: read back when written (its uid and status are what events and
        // health need), the object the plan read otherwise. Watches keep it current afterwards.
        return AppliedObject(
          key: planned.key, desired: wanted,
          live: written[planned.key] ?? planned.live ?? planned.predicted ?? wanted)
      }
      let short = revision.prefix(7)
      let message =
        result.outcome == .unchanged
        ? "\(objects.count) objects already equal to \(short)"
        : "applied \(result.applied.count) and pruned \(result.pruned.count) of \(objects.count) objects at \(short)"
      return SyncOutcome(
        result: .succeeded, message: message, applied: applied,
        changed: result.applied + result.pruned, images: desired.images)
    } catch GitOpsError.cancelled(let applied) {
      return SyncOutcome(
        result: .cancelled, message: "stopped after applying \(applied.count) objects",
        changed: applied, images: desired.images)
    } catch {
      var failed: ObjectKey?
      switch error as? GitOpsError {
      case .applyFailed(let key, _, _), .pruneFailed(let key, _), .degraded(let key, _),
        .healthTimeout(let key, _, _):
        failed = key
      case .validation(let problems):
        // The event goes to the first object the server refused; the message lists them all.
        failed = problems.lazy.compactMap(\.key).first
      default: failed = nil
      }
      return SyncOutcome(
        result: .failed, message: Self.explained(error), failedObject: failed,
        images: desired.images)
    }
  }

  /// The error for the status page and the logs; a permission the controller lacks says where
  /// its permissions are granted.
  static func explained(_ error: any Error) -> String {
    let text = "\(error)"
    guard text.contains(KubeError.forbiddenHint) else { return text }
    return text
      + " (the controller's permissions are the Role of charts/tripgen-controller: add the rule to rbac.rules in its values)"
  }

  /// The objects the sync wrote, as the server now stores them (one GET each; unchanged objects
  /// are not read again). An object that cannot be read is left out: the sync itself succeeded,
  /// and the watches report the object once they start.
  private func liveObjects(_ keys: [ObjectKey], of objects: [PlannedObject]) async
    -> [ObjectKey: JSONValue]
  {
    let apiVersions = Dictionary(
      objects.map { ($0.key, $0.desired?["apiVersion"]?.stringValue ?? "v1") },
      uniquingKeysWith: { first, _ in first })
    var live: [ObjectKey: JSONValue] = [:]
    for key in Set(keys) {
      guard let apiVersion = apiVersions[key],
        let resource = try? await engine.client.resource(apiVersion: apiVersion, kind: key.kind),
        let object = try? await engine.client.getIfPresent(
          resource, namespace: key.namespace.isEmpty ? nil : key.namespace, name: key.name)
      else { continue }
      live[key] = object
    }
    return live
  }

  /// Where image digests are looked up: the environment's registry, with the credentials the
  /// pod has for it (ACR through workload identity, a Docker config, or the TRIPGEN_REGISTRY_*
  /// variables: ACR refuses anonymous pulls by default); an image layout on disk is not in the
  /// controller's pod, so its images stay bound by tag.
  static func digestLookup(for environment: Environment) async throws -> DigestLookup {
    guard let host = environment.spec.registry.host else { return .none }
    let insecure: Set<String> = environment.spec.registry.insecure == true ? [host] : []
    return .registry(
      RegistryClient(
        registry: host,
        configuration: RegistryClientConfiguration(
          authentication: try await RegistryCredentialStore.authentication(for: host),
          insecureHosts: insecure)))
  }

  static func health(_ status: GitOps.HealthStatus) -> HealthStatus {
    switch status {
    case .healthy: .healthy
    case .progressing: .progressing
    case .degraded: .degraded
    case .suspended: .suspended
    case .missing: .missing
    case .unknown: .unknown
    }
  }
}
