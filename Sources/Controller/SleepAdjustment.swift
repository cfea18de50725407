import Environments
import YAML

/// What sleeping means for a desired object: Deployments run zero replicas; everything else (the
/// StatefulSets of PostgreSQL and Redis above all, which keep their data) is applied as in Git.
public enum SleepAdjustment {
  /// The object as it is applied while the environment sleeps.
  public static func apply(to object: JSONValue) -> JSONValue {
    guard isScaledDown(object) else { return object }
    var asleep = object
    asleep.set(["spec", "replicas"], .int(0))
    return asleep
  }

  /// Whether sleep scales this object down (an `apps` Deployment).
  public static func isScaledDown(_ object: JSONValue) -> Bool {
    object["kind"]?.stringValue == "Deployment"
      && ObjectKey.group(ofAPIVersion: object["apiVersion"]?.stringValue ?? "") == "apps"
  }
}
