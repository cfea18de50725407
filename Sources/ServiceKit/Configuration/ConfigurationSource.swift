import Foundation

/// Where a service reads its settings: environment variables first, then secret files mounted from
/// Kubernetes Secrets (`<secretsDirectory>/<secret-name>/<key>`), so a Secret can be mounted as a volume
/// instead of being passed through the environment.
public struct ConfigurationSource: Sendable {
  /// A setting that may also come from a mounted Secret: the secret's name and key, as in the chart's
  /// `secretEnv` (charts/tripgen/values.yaml).
  public struct SecretReference: Sendable, Hashable {
    public let secret: String
    public let key: String
    public init(secret: String, key: String) {
      self.secret = secret
      self.key = key
    }
  }

  /// The variables the chart takes from Secrets, and where each Secret would be mounted.
  public static let secretReferences: [String: SecretReference] = [
    "JWT_SECRET": .init(secret: "jwt-secret", key: "secret"),
    "DB_PASSWORD": .init(secret: "postgresql-secret", key: "password"),
    "REDIS_PASSWORD": .init(secret: "redis-secret", key: "password"),
    "SERVICEBUS_CONNECTION_STRING": .init(
      secret: "servicebus-connection", key: "connection-string"),
    "OPENAI_API_KEY": .init(secret: "openai-api-key", key: "api-key"),
  ]

  /// The default folder of mounted Secrets.
  public static let defaultSecretsDirectory = "/var/run/secrets/tripgen"

  public let environment: [String: String]
  public let secretsDirectory: String

  /// - Parameters:
  ///   - environment: the variables (the process environment by default).
  ///   - secretsDirectory: the folder of mounted Secrets; `TRIPGEN_SECRETS_DIR` overrides the default.
  public init(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    secretsDirectory: String? = nil
  ) {
    self.environment = environment
    self.secretsDirectory =
      secretsDirectory ?? environment["TRIPGEN_SECRETS_DIR"] ?? Self.defaultSecretsDirectory
  }

  /// The value of `name`, from the environment or its mounted secret file; nil when neither has one.
  /// An empty variable counts as unset, as Kubernetes renders an optional missing secret key that way.
  public func value(_ name: String) -> String? {
    if let value = environment[name], !value.isEmpty { return value }
    guard let reference = Self.secretReferences[name] else { return nil }
    let path = "\(secretsDirectory)/\(reference.secret)/\(reference.key)"
    guard let data = FileManager.default.contents(atPath: path),
      let text = String(data: data, encoding: .utf8)
    else { return nil }
    // Secret files written by hand often end with a newline that is not part of the value.
    let trimmed = text.trimmingCharacters(in: .newlines)
    return trimmed.isEmpty ? nil : trimmed
  }

  /// The value of a setting that has no default: start-up stops with a message naming it.
  public func required(_ name: String) throws(ConfigurationError) -> String {
    guard let value = value(name) else {
      throw .missing(name: name, secret: Self.secretReferences[name], directory: secretsDirectory)
    }
    return value
  }

  /// The value of `name`, or `defaultValue` when unset.
  public func string(_ name: String, default defaultValue: String) -> String {
    value(name) ?? defaultValue
  }

  /// An integer setting within `range`, or `defaultValue` when unset.
  public func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>)
    throws(ConfigurationError) -> Int
  {
    guard let text = value(name) else { return defaultValue }
    guard let number = Int(text), range.contains(number) else {
      throw .invalid(name: name, value: text, expected: "an integer in \(range)")
    }
    return number
  }
}
