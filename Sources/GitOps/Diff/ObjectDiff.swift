import YAML

/// The comparison of one object's live and desired states, ready to print.
///
/// Both sides are compared and shown as YAML with sorted keys (stable whatever order the API server
/// or the chart wrote them in). Secrets are masked on construction (see `SecretMasker`), so neither
/// `live`, `desired` nor the diff text can reveal a secret value, yet a changed value still differs.
public struct ObjectDiff: Sendable, Equatable {
  /// The live object as compared (masked if a Secret); nil when it does not exist yet.
  public let live: JSONValue?
  /// The desired object as compared (masked if a Secret); nil when it is to be pruned.
  public let desired: JSONValue?

  /// Compares two objects as given: normalize them first (`LiveObjectNormalizer`), or use
  /// `normalizing(desired:live:with:)`.
  public init(live: JSONValue?, desired: JSONValue?) {
    let masked = SecretMasker.mask(desired: desired, live: live)
    self.live = masked.live
    self.desired = masked.desired
  }

  /// Normalizes both sides with `normalizer`, then compares them.
  public static func normalizing(
    desired: JSONValue?, live: JSONValue?, with normalizer: LiveObjectNormalizer
  ) -> ObjectDiff {
    ObjectDiff(live: live.map(normalizer.normalize), desired: desired.map(normalizer.normalize))
  }

  /// Whether the two sides differ (key order never counts; `1` and `1.0` do, as in JSON).
  public var differs: Bool { live != desired }

  /// The YAML the live side is shown as (empty when it does not exist).
  public var liveYAML: String { Self.yaml(live) }

  /// The YAML the desired side is shown as (empty when it is to be pruned).
  public var desiredYAML: String { Self.yaml(desired) }

  /// `diff -u` of the two YAML renderings, labelled `--- live` and `+++ desired` by default; empty
  /// when they do not differ.
  public func unifiedDiff(
    context: Int = 3, liveLabel: String = "live", desiredLabel: String = "desired"
  ) -> String {
    guard differs else { return "" }
    return UnifiedDiff.render(
      old: liveYAML, new: desiredYAML, oldLabel: liveLabel, newLabel: desiredLabel,
      context: context)
  }

  private static func yaml(_ value: JSONValue?) -> String {
    guard let value else { return "" }
    // No folding: a long line must show as one changed line, not as a reflowed paragraph.
    return YAMLEmitter(sortKeys: true, lineWidth: nil).emit([value])
  }
}
