/// Why a Kubernetes API call failed. Descriptions never contain credentials.
public enum KubeError: Error, CustomStringConvertible, Sendable {
  /// The server answered with an error Status.
  case api(KubeAPIStatus, method: String, url: String)
  /// The server answered with an error and no Status body.
  case http(code: Int, method: String, url: String, body: String)
  /// The request did not get an answer (connection refused, TLS failure, timeout).
  case transport(method: String, url: String, reason: String)
  /// The answer was not the JSON expected.
  case decoding(url: String, reason: String)
  /// No resource of the API matches a kind or resource name, even after refreshing discovery.
  case unknownResource(String)
  /// The object given lacks what the call needs (apiVersion, kind, metadata.name).
  case invalidObject(String)
  /// Credentials could not be obtained.
  case credentials(String)
  /// A watch ended with an error event.
  case watchFailed(KubeAPIStatus)

  public var description: String {
    switch self {
    case .api(let status, let method, let url):
      var text = status.message.isEmpty ? "\(status.reason) (\(status.code))" : status.message
      if status.reason == "Conflict", let causes = status.details?.causes, !causes.isEmpty,
        !causes.contains(where: { text.contains($0.field ?? "\u{0}") })
      {
        text +=
          ": " + causes.map { "\($0.field ?? "") (\($0.message ?? ""))" }.joined(separator: ", ")
      }
      if status.code == 403 {
        text += "; " + Self.forbiddenHint
      }
      if status.code == 401 {
        text +=
          "; the credentials were refused (expired or unknown token, or a client certificate the server does not trust)"
      }
      return "\(text) [\(method) \(Self.redacted(url)): \(status.code) \(status.reason)]"
    case .http(let code, let method, let url, let body):
      return "\(method) \(Self.redacted(url)): HTTP \(code): \(body.prefix(500))"
    case .transport(let method, let url, let reason):
      return "\(method) \(Self.redacted(url)): \(reason)"
    case .decoding(let url, let reason):
      return "\(Self.redacted(url)): unexpected response: \(reason)"
    case .unknownResource(let name):
      return "the server doesn't have a resource type \"\(name)\""
    case .invalidObject(let reason):
      return "invalid object: \(reason)"
    case .credentials(let reason):
      return "credentials: \(reason)"
    case .watchFailed(let status):
      return "watch failed: \(status.message) (\(status.code) \(status.reason))"
    }
  }

  /// The API status when the server sent one.
  public var status: KubeAPIStatus? {
    switch self {
    case .api(let status, _, _), .watchFailed(let status): return status
    default: return nil
    }
  }

  /// Whether the object was not found (404).
  public var isNotFound: Bool { status?.code == 404 }
  /// Whether the request conflicted (409: stale resourceVersion, apply conflict, exists).
  public var isConflict: Bool { status?.code == 409 }
  /// What a 403 means for the person reading it.
  public static let forbiddenHint =
    "the identity in use lacks this permission: grant it with a Role or ClusterRole"

  /// Whether the identity in use may not do this (403, RBAC).
  public var isForbidden: Bool { status?.code == 403 }

  /// URLs never carry credentials here, but user:password@ forms are stripped all the same.
  static func redacted(_ url: String) -> String {
    guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
      !url[scheme.upperBound..<at].contains("/")
    else { return url }
    return String(url[..<scheme.upperBound]) + "***@" + String(url[url.index(after: at)...])
  }
}
