import Foundation
import ServiceKit

/// A user as the API shows it (never the password hash).
public struct UserResource: Codable, Sendable, Equatable {
  public let id: Int64
  public let email: String
  public let displayName: String
  public let role: Role
  public let createdAt: Date
  public let updatedAt: Date
}

/// POST /api/v1/auth/register
public struct RegisterRequest: Codable, Sendable {
  public var email: String
  public var password: String
  public var displayName: String
}

/// POST /api/v1/auth/login
public struct LoginRequest: Codable, Sendable {
  public var email: String
  public var password: String
}

/// POST /api/v1/auth/refresh
public struct RefreshRequest: Codable, Sendable {
  public var refreshToken: String
}

/// PATCH /api/v1/users/me: every field optional; a new password needs the current one.
public struct UpdateUserRequest: Codable, Sendable {
  public var displayName: String?
  public var password: String?
  public var currentPassword: String?
}

/// What register and log-in return: the user and a token pair.
public struct SessionResponse: Codable, Sendable {
  public let user: UserResource
  public let tokens: TokenService.TokenPair
}

/// Input checks shared by register and update, matching the schema's constraints.
enum UserValidation {
  static let passwordLength = 8...1024
  static let displayNameLength = 1...100

  /// The schema's CHECK: `^[^@\s]+@[^@\s]+\.[^@\s]+$`, at most 254 characters.
  static func normalisedEmail(_ email: String) -> String? {
    let email = email.trimmingCharacters(in: .whitespaces).lowercased()
    guard email.count <= 254, email.firstMatch(of: /^[^@\s]+@[^@\s]+\.[^@\s]+$/) != nil
    else { return nil }
    return email
  }

  static func validPassword(_ password: String) -> Bool {
    passwordLength.contains(password.count)
  }

  static func validDisplayName(_ name: String) -> String? {
    let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
    return displayNameLength.contains(name.count) ? name : nil
  }
}
