import Foundation
import PostgresNIO
import ServiceKit

/// The `users` table (charts/tripgen/files/sql/schema.sql).
struct UserStore: Sendable {
  let database: Database

  struct StoredUser {
    let resource: UserResource
    let passwordHash: String
  }

  private static let columns =
    "id, email, display_name, role, created_at, updated_at, password_hash"

  /// Inserts a member; nil when the email is taken.
  func insert(email: String, displayName: String, passwordHash: String) async throws -> StoredUser?
  {
    try await database.rows(
      """
      INSERT INTO users (email, display_name, password_hash, role)
      VALUES (\(email), \(displayName), \(passwordHash), 'member')
      ON CONFLICT (email) DO NOTHING
      RETURNING id, email, display_name, role, created_at, updated_at, password_hash
      """
    ).first.map(Self.decode)
  }

  func find(email: String) async throws -> StoredUser? {
    try await database.rows(
      "SELECT id, email, display_name, role, created_at, updated_at, password_hash FROM users WHERE email = \(email)"
    ).first.map(Self.decode)
  }

  func find(id: Int64) async throws -> StoredUser? {
    try await database.rows(
      "SELECT id, email, display_name, role, created_at, updated_at, password_hash FROM users WHERE id = \(id)"
    ).first.map(Self.decode)
  }

  /// Updates the given fields (nil keeps the value) and returns the row.
  func update(id: Int64, displayName: String?, passwordHash: String?) async throws -> StoredUser? {
    try await database.rows(
      """
      UPDATE users SET display_name = COALESCE(\(displayName), display_name),
                       password_hash = COALESCE(\(passwordHash), password_hash),
                       updated_at = now()
      WHERE id = \(id)
      RETURNING id, email, display_name, role, created_at, updated_at, password_hash
      """
    ).first.map(Self.decode)
  }

  private static func decode(_ row: PostgresRow) throws -> StoredUser {
    let (id, email, name, role, created, updated, hash) = try row.decode(
      (Int64, String, String, String, Date, Date, String).self)
    return StoredUser(
      resource: UserResource(
        id: id, email: email, displayName: name, role: Role(rawValue: role) ?? .guest,
        createdAt: created, updatedAt: updated),
      passwordHash: hash)
  }
}
