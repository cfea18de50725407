/// Why a service's configuration could not be read; start-up stops with this message.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
  /// A required setting is neither in the environment nor in its mounted secret file.
  case missing(name: String, secret: ConfigurationSource.SecretReference?, directory: String)
  /// A setting is present but unusable. `value` is never a secret's value (secrets are only checked
  /// for length, and that check reports `weakSecret`).
  case invalid(name: String, value: String, expected: String)
  /// A secret is too short to be safe.
  case weakSecret(name: String, minimumLength: Int)

  public var description: String {
    switch self {
    case .missing(let name, let secret, let directory):
      let file = secret.map { " or the file \(directory)/\($0.secret)/\($0.key)" } ?? ""
      return "configuration: \(name) is required: set the environment variable \(name)\(file)"
    case .invalid(let name, let value, let expected):
      return "configuration: \(name)=\"\(value)\" is not valid: expected \(expected)"
    case .weakSecret(let name, let minimumLength):
      return
        "configuration: \(name) must be at least \(minimumLength) characters long "
        + "(generate one with `openssl rand -base64 48`)"
    }
  }
}
