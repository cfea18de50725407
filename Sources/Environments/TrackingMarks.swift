import YAML

/// The marks that say an object belongs to an environment: the `managed-by` label, the environment
/// label (for listing), and the tracking-id annotation naming the object itself, so a copy of an
/// object (same labels, other name or namespace) is recognised as not ours and never pruned.
public enum TrackingMarks {
  public static let managedByLabel = "app.kubernetes.io/managed-by"
  public static let managedByValue = "tripgen"
  public static let environmentLabel = "tripgen.io/environment"
  public static let trackingIDAnnotation = "tripgen.io/tracking-id"

  /// `dev:apps/Deployment:tripgen-dev/user-service`.
  public static func trackingID(environment: String, key: ObjectKey) -> String {
    "\(environment):\(key)"
  }

  /// The label selector listing an environment's objects.
  public static func selector(environment: String) -> String {
    "\(managedByLabel)=\(managedByValue),\(environmentLabel)=\(environment)"
  }

  /// The object with the environment's labels and tracking id added.
  public static func mark(_ object: JSONValue, environment: String) -> JSONValue {
    guard let key = ObjectKey(object: object) else { return object }
    var marked = object
    marked.set(["metadata", "labels", managedByLabel], .string(managedByValue))
    marked.set(["metadata", "labels", environmentLabel], .string(environment))
    marked.set(
      ["metadata", "annotations", trackingIDAnnotation],
      .string(trackingID(environment: environment, key: key)))
    return marked
  }

  /// Whether a live object is the environment's own: managed by tripgen, labelled with the
  /// environment, and carrying a tracking id that describes this very object.
  public static func isOwned(_ object: JSONValue, by environment: String) -> Bool {
    guard let key = ObjectKey(object: object),
      object["metadata"]?["labels"]?[managedByLabel]?.stringValue == managedByValue,
      object["metadata"]?["labels"]?[environmentLabel]?.stringValue == environment
    else { return false }
    return object["metadata"]?["annotations"]?[trackingIDAnnotation]?.stringValue
      == trackingID(environment: environment, key: key)
  }
}
