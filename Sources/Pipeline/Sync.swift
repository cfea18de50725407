import Environments
import Kube

/// Push-style delivery: every rendered object applied with server-side apply, in the order the
/// charts render them (Helm's install order: namespaces and configuration before workloads).
///
/// This is the plain apply a CI job can do; waves, hooks, pruning and health waiting belong to the
/// GitOps engine's sync, which replaces this when it is merged.
enum Sync {
  /// The field manager our applies are recorded under.
  static let fieldManager = "tripgen"

  static func apply(_ desired: DesiredState, client: KubeClient, console: CIConsole)
    async throws(PipelineError)
  {
    for object in desired.objects {
      do {
        let result = try await client.apply(object.object, fieldManager: fieldManager, force: true)
        console.detail("\(result.created ? "created" : "applied") \(object.key)")
      } catch {
        throw .sync(object: "\(object.key) (from \(object.source))", reason: "\(error)")
      }
    }
    console.line("synced \(desired.objects.count) objects to \(desired.environment.name)")
  }
}
