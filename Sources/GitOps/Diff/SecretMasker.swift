import YAML

/// Replaces the values of Secrets with `+` markers before they are shown, as Argo CD's
/// `HideSecretData` does: per key of `data` and of `stringData`, equal values on both sides get the
/// same marker and different values get markers of different lengths (`++++++++`, `++++++++++++`),
/// so a diff still shows *that* a value changed but never the value.
public enum SecretMasker {
  /// The marker of the first distinct value of a key; each further distinct value gets four more `+`.
  public static let marker = "++++++++"

  /// Both sides masked together, so that equal values keep equal markers (either side may be absent:
  /// a Secret about to be created or pruned). Objects that are not Secrets are returned unchanged.
  public static func mask(desired: JSONValue?, live: JSONValue?) -> (
    desired: JSONValue?, live: JSONValue?
  ) {
    guard isSecret(desired) || isSecret(live) else { return (desired, live) }
    var desired = desired.map(withoutLastAppliedConfiguration)
    var live = live.map(withoutLastAppliedConfiguration)
    for field in ["data", "stringData"] {
      var desiredValues = desired?[field]?.objectValue
      var liveValues = live?[field]?.objectValue
      let desiredKeys = desiredValues.map { Array($0.keys) } ?? []
      let liveOnlyKeys = (liveValues.map { Array($0.keys) } ?? []).filter {
        desiredValues?.index(forKey: $0) == nil
      }
      for key in desiredKeys + liveOnlyKeys {
        var markers: [JSONValue: String] = [:]
        func replacement(for value: JSONValue) -> JSONValue {
          if let known = markers[value] { return .string(known) }
          let next = Self.marker + String(repeating: "+", count: 4 * markers.count)
          markers[value] = next
          return .string(next)
        }
        if let value = desiredValues?[key] { desiredValues?[key] = replacement(for: value) }
        if let value = liveValues?[key] { liveValues?[key] = replacement(for: value) }
      }
      if let desiredValues { desired = desired?.replacing(field, with: .object(desiredValues)) }
      if let liveValues { live = live?.replacing(field, with: .object(liveValues)) }
    }
    return (desired, live)
  }

  /// One Secret masked on its own (every value becomes `++++++++`).
  public static func mask(_ object: JSONValue) -> JSONValue {
    mask(desired: object, live: nil).desired ?? object
  }

  private static func isSecret(_ object: JSONValue?) -> Bool {
    object?["kind"]?.stringValue == "Secret" && object?["apiVersion"]?.stringValue == "v1"
  }

  /// kubectl's last-applied annotation holds the whole Secret, values included.
  private static func withoutLastAppliedConfiguration(_ object: JSONValue) -> JSONValue {
    object.removing(
      JSONPointer(tokens: [
        "metadata", "annotations", LiveObjectNormalizer.lastAppliedConfigurationAnnotation,
      ]))
  }
}

extension JSONValue {
  fileprivate func replacing(_ key: String, with value: JSONValue) -> JSONValue {
    guard case .object(var object) = self else { return self }
    object[key] = value
    return .object(object)
  }
}
