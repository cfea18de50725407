/// The parts of an Azure Service Bus connection string (the `servicebus-connection` secret,
/// SERVICEBUS_CONNECTION_STRING): `Endpoint=sb://NAMESPACE.servicebus.windows.net/;
/// SharedAccessKeyName=NAME;SharedAccessKey=KEY[;EntityPath=QUEUE]`.
///
/// The key is kept only to sign tokens: the description and every error leave it out, so a
/// connection string can be logged or interpolated without leaking it.
public struct ServiceBusConnectionString: Sendable, CustomStringConvertible {
  /// Where the REST API is: `https://NAMESPACE.servicebus.windows.net` (no trailing slash).
  public let endpoint: String
  /// The shared access policy's name (`skn` in tokens).
  public let keyName: String
  /// The policy's key: the HMAC key of the tokens. Never printed.
  let key: String
  /// The queue the string is scoped to, when it is an entity-level string.
  public let entityPath: String?

  /// Hosts to which plain HTTP is allowed (an emulator): a token sent in clear text must not leave
  /// the machine.
  static let loopbackHosts: Set<String> = ["localhost", "127.0.0.1", "[::1]", "::1"]

  /// Parses `text`. Keys are case-insensitive, as in the Azure SDKs; a value may contain `=` (keys
  /// are base64). `UseDevelopmentEmulator=true` selects plain HTTP, for loopback endpoints only.
  public init(parsing text: String) throws(ServiceBusConfigurationError) {
    var parts: [String: String] = [:]
    for segment in text.split(separator: ";", omittingEmptySubsequences: true) {
      let trimmed = segment.trimmingSpaces
      guard !trimmed.isEmpty else { continue }
      guard let equals = trimmed.firstIndex(of: "=") else {
        throw .malformed(reason: "a segment has no `=` (expected Key=Value pairs separated by `;`)")
      }
      let name = trimmed[..<equals].trimmingSpaces.lowercased()
      let value = trimmed[trimmed.index(after: equals)...].trimmingSpaces
      parts[name] = value
    }
    if parts["sharedaccesssignature"] != nil, parts["sharedaccesskey"] == nil {
      throw .unsupported(
        "a pre-made SharedAccessSignature; give SharedAccessKeyName and SharedAccessKey instead")
    }
    guard let endpoint = parts["endpoint"], !endpoint.isEmpty else {
      throw .missingPart("Endpoint")
    }
    guard let keyName = parts["sharedaccesskeyname"], !keyName.isEmpty else {
      throw .missingPart("SharedAccessKeyName")
    }
    guard let key = parts["sharedaccesskey"], !key.isEmpty else {
      throw .missingPart("SharedAccessKey")
    }
    let emulator = parts["usedevelopmentemulator"]?.lowercased() == "true"
    self.endpoint = try Self.restEndpoint(endpoint, emulator: emulator)
    self.keyName = keyName
    self.key = key
    let entity = parts["entitypath"].flatMap { $0.isEmpty ? nil : $0 }
    self.entityPath = entity
  }

  /// `sb://host[:port]/` as the REST API's base URL: https, or http for an emulator on loopback.
  private static func restEndpoint(_ endpoint: String, emulator: Bool)
    throws(ServiceBusConfigurationError) -> String
  {
    guard let schemeEnd = endpoint.range(of: "://") else {
      throw .invalidEndpoint(endpoint, reason: "expected sb://NAMESPACE.servicebus.windows.net/")
    }
    let scheme = endpoint[..<schemeEnd.lowerBound].lowercased()
    guard ["sb", "https", "http"].contains(scheme) else {
      throw .invalidEndpoint(endpoint, reason: "the scheme must be sb://")
    }
    let authority = endpoint[schemeEnd.upperBound...].split(separator: "/").first.map(String.init)
    guard let authority, !authority.isEmpty, !authority.contains("@") else {
      throw .invalidEndpoint(endpoint, reason: "no host name")
    }
    let host: String
    if authority.hasPrefix("[") {
      host = String(authority.prefix { $0 != "]" }) + "]"
    } else {
      host = String(authority.prefix { $0 != ":" })
    }
    let plain = emulator || scheme == "http"
    if plain {
      guard loopbackHosts.contains(host.lowercased()) else {
        throw .invalidEndpoint(
          endpoint,
          reason: "plain HTTP (UseDevelopmentEmulator) is allowed only for localhost; use sb://")
      }
      return "http://\(authority.lowercased())"
    }
    return "https://\(authority.lowercased())"
  }

  /// The endpoint and key name; the key is left out.
  public var description: String {
    "Endpoint=\(endpoint);SharedAccessKeyName=\(keyName);SharedAccessKey=<redacted>"
      + (entityPath.map { ";EntityPath=\($0)" } ?? "")
  }

  /// The queue to use: the string's EntityPath, which must then agree with `configured`
  /// (AI_QUEUE_NAME), or `configured`.
  public func queueName(configured: String) throws(ServiceBusConfigurationError) -> String {
    guard let entityPath else { return configured }
    guard entityPath == configured else {
      throw .entityMismatch(entityPath: entityPath, configured: configured)
    }
    return entityPath
  }
}

extension Substring {
  fileprivate var trimmingSpaces: String {
    String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}

extension String {
  fileprivate var trimmingSpaces: String { self[...].trimmingSpaces }
}
