import YAML

/// Removes from an object what never counts when the desired state (a server-side dry-run apply's
/// result) is compared with the live object: `status`, the metadata the API server writes
/// (`managedFields`, `resourceVersion`, `generation`, `uid`, `creationTimestamp`, `selfLink`,
/// `deletionTimestamp`, `deletionGracePeriodSeconds`), kubectl's last-applied-configuration
/// annotation, and the fields the ignore rules name for the object's group and kind.
public struct LiveObjectNormalizer: Sendable {
  /// The annotation client-side `kubectl apply` keeps a copy of the whole object in (Secrets included).
  public static let lastAppliedConfigurationAnnotation =
    "kubectl.kubernetes.io/last-applied-configuration"

  /// Metadata fields the API server maintains, never the user.
  public static let serverMetadataFields: [String] = [
    "managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink",
    "deletionTimestamp", "deletionGracePeriodSeconds",
  ]

  public var ignoreRules: [IgnoreDifferencesRule]

  public init(ignoreRules: [IgnoreDifferencesRule] = []) {
    self.ignoreRules = ignoreRules
  }

  /// Both sides of a comparison, normalized the same way. The rules are matched on each side's own
  /// identity, which is the same object's.
  public func normalize(desired: JSONValue, live: JSONValue) -> (
    desired: JSONValue, live: JSONValue
  ) {
    (normalize(desired), normalize(live))
  }

  /// One object without the fields that never count.
  public func normalize(_ object: JSONValue) -> JSONValue {
    guard case .object(var fields) = object else { return object }
    // Match rules before anything is removed: they read apiVersion, kind, name and namespace.
    let pointers = ignoreRules.filter { $0.matches(object) }.flatMap(\.jsonPointers)
    fields.removeValue(forKey: "status")
    if case .object(var metadata)? = fields["metadata"] {
      for field in Self.serverMetadataFields { metadata.removeValue(forKey: field) }
      if case .object(var annotations)? = metadata["annotations"] {
        annotations.removeValue(forKey: Self.lastAppliedConfigurationAnnotation)
        // An object whose only annotation was kubectl's must equal one that never had any.
        if annotations.isEmpty {
          metadata.removeValue(forKey: "annotations")
        } else {
          metadata["annotations"] = .object(annotations)
        }
      }
      fields["metadata"] = .object(metadata)
    }
    var normalized = JSONValue.object(fields)
    for pointer in pointers { normalized = normalized.removing(pointer) }
    return normalized
  }
}
