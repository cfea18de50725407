/// Why SERVICEBUS_CONNECTION_STRING cannot be used; start-up stops with this message. No case
/// carries the shared access key, and the endpoint is shown only because it holds no secret.
public enum ServiceBusConfigurationError: Error, Equatable, CustomStringConvertible {
  /// A required `Key=Value` part is absent.
  case missingPart(String)
  /// The string is not a `;`-separated list of `Key=Value` pairs.
  case malformed(reason: String)
  /// The endpoint cannot be used.
  case invalidEndpoint(String, reason: String)
  /// A form this client does not accept.
  case unsupported(String)
  /// EntityPath and AI_QUEUE_NAME name different queues.
  case entityMismatch(entityPath: String, configured: String)

  static let origin =
    "SERVICEBUS_CONNECTION_STRING (or the secret file servicebus-connection/connection-string)"

  public var description: String {
    switch self {
    case .missingPart(let part):
      return "configuration: \(Self.origin) has no \(part)=...; copy the whole connection string "
        + "from the namespace's shared access policy"
    case .malformed(let reason):
      return "configuration: \(Self.origin) is not a connection string: \(reason)"
    case .invalidEndpoint(let endpoint, let reason):
      return "configuration: \(Self.origin): Endpoint=\(endpoint) is not usable: \(reason)"
    case .unsupported(let what):
      return "configuration: \(Self.origin) uses \(what)"
    case .entityMismatch(let entityPath, let configured):
      return "configuration: \(Self.origin) is scoped to queue \(entityPath) (EntityPath) but "
        + "AI_QUEUE_NAME is \(configured); make them agree"
    }
  }
}
