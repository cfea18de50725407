/// A user's role, as the `users.role` column constrains it (charts/tripgen/files/sql/schema.sql).
public enum Role: String, Codable, Sendable, CaseIterable {
  case admin, `operator`, planner, member, guest
}

/// Who made a request: the user id and role from a verified access token.
public struct Identity: Sendable, Equatable {
  public let userID: Int64
  public let role: Role

  public init(userID: Int64, role: Role) {
    self.userID = userID
    self.role = role
  }

  /// Whether this caller may see or change a resource that `ownerID` owns: the owner or an admin.
  public func mayAccess(ownerID: Int64) -> Bool {
    userID == ownerID || role == .admin
  }
}
