import Foundation

/// A user name and password (or an ACR service principal's id and secret, or an admin user's
/// password). The description never shows the password.
public struct RegistryCredentials: Sendable, Equatable, CustomStringConvertible {
  public var username: String
  public var password: String

  public init(username: String, password: String) {
    self.username = username
    self.password = password
  }

  /// The `Authorization: Basic` value.
  var basicAuthorization: String {
    "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
  }

  public var description: String { "\(username):<redacted>" }
}
