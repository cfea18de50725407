import YAML

/// The API's `metav1.Status`: why a request failed, in the server's words.
public struct KubeAPIStatus: Sendable, Equatable {
  /// HTTP status code.
  public var code: Int
  /// Machine-readable reason: `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Forbidden`,
  /// `Unauthorized`, `TooManyRequests`, `Expired`, ...
  public var reason: String
  public var message: String
  public var details: Details?

  /// `details` of a Status: the object concerned and the field-level causes.
  public struct Details: Sendable, Equatable {
    public var name: String?
    public var group: String?
    public var kind: String?
    public var causes: [Cause]
    public var retryAfterSeconds: Int?
  }

  /// One cause: a field and what is wrong with it (for SSA conflicts, the manager that owns it).
  public struct Cause: Sendable, Equatable {
    public var reason: String?
    public var message: String?
    public var field: String?
  }

  public init(code: Int, reason: String, message: String, details: Details? = nil) {
    self.code = code
    self.reason = reason
    self.message = message
    self.details = details
  }

  /// Reads a Status object; nil when the value is not one.
  public init?(_ value: JSONValue) {
    guard value["kind"]?.stringValue == "Status" else { return nil }
    code = value["code"]?.intValue ?? 0
    reason = value["reason"]?.stringValue ?? ""
    message = value["message"]?.stringValue ?? ""
    if let details = value["details"], case .object = details {
      self.details = Details(
        name: details["name"]?.stringValue, group: details["group"]?.stringValue,
        kind: details["kind"]?.stringValue,
        causes: (details["causes"]?.arrayValue ?? []).map {
          Cause(
            reason: $0["reason"]?.stringValue, message: $0["message"]?.stringValue,
            field: $0["field"]?.stringValue)
        },
        retryAfterSeconds: details["retryAfterSeconds"]?.intValue)
    }
  }
}
