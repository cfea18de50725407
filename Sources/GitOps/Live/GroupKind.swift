import Environments

/// An API group and kind (`apps`, `Deployment`), as inventories and ApplySets record them.
public struct GroupKind: Sendable, Hashable, Comparable, Codable {
  public var group: String
  public var kind: String

  public init(group: String, kind: String) {
    self.group = group
    self.kind = kind
  }

  public init(_ key: ObjectKey) { self.init(group: key.group, kind: key.kind) }

  /// `Deployment.apps`, or `ConfigMap` for the core group (the ApplySet annotation's format).
  public var applySetName: String { group.isEmpty ? kind : "\(kind).\(group)" }

  public static func < (lhs: GroupKind, rhs: GroupKind) -> Bool {
    (lhs.group, lhs.kind) < (rhs.group, rhs.kind)
  }
}
