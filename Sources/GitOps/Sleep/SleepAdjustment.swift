import Environments
import YAML

/// What sleeping means for a desired object: Deployments run zero replicas; everything else (the
/// StatefulSets of PostgreSQL and Redis above all, which keep their data) is applied as in Git.
///
/// A Deployment annotated `tripgen.io/sleep: never` keeps its replicas: the in-cluster controller is
/// part of the environment it keeps in sync, and a controller scaled to zero could never wake the
/// environment (nor anything else) in the morning.
public enum SleepAdjustment {
  /// The annotation that exempts an object from sleep, and its value.
  public static let annotation = "tripgen.io/sleep"
  public static let neverValue = "never"

  /// The object as it is applied while the environment sleeps.
  public static func apply(to object: JSONValue) -> JSONValue {
    guard isScaledDown(object) else { return object }
    var asleep = object
    asleep.set(["spec", "replicas"], .int(0))
    return asleep
  }

  /// Whether sleep scales this object down: an `apps` Deployment that is not exempt.
  public static func isScaledDown(_ object: JSONValue) -> Bool {
    object["kind"]?.stringValue == "Deployment"
      && ObjectKey.group(ofAPIVersion: object["apiVersion"]?.stringValue ?? "") == "apps"
      && object["metadata"]?["annotations"]?[annotation]?.stringValue != neverValue
  }
}
