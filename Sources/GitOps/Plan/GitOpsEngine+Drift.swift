import Environments
import Kube
import YAML

extension GitOpsEngine {
  /// The fields where `live` differs from what applying `desired` would make it: the plan's own
  /// comparison (a server-side dry run, then the environment's normalizer) for one object, as the
  /// controller's watches deliver it. Empty when the object is in sync; nil when `live` is older
  /// than what the server stores now (a newer watch event follows and is compared instead).
  public func drift(of desired: JSONValue, live: JSONValue, in environment: Environment)
    async throws -> [String]?
  {
    let (predicted, _) = try await dryRunApply(desired)
    let version = { (object: JSONValue) in object["metadata"]?["resourceVersion"]?.stringValue }
    if let stored = version(predicted), let seen = version(live), stored != seen { return nil }
    return try LiveComparison(environment: environment).changedPaths(
      live: live, predicted: predicted)
  }
}
