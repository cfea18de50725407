import Foundation

/// The HTTP version a response came over.
public enum HTTPVersion: Sendable, Equatable, CustomStringConvertible {
  case http10
  case http11
  case http2
  case http3
  case unknown

  public var description: String {
    switch self {
    case .http10: return "HTTP/1.0"
    case .http11: return "HTTP/1.1"
    case .http2: return "HTTP/2"
    case .http3: return "HTTP/3"
    case .unknown: return "HTTP (unknown version)"
    }
  }
}

/// A response: the final one after redirects and retries.
public struct HTTPResponse: Sendable {
  /// The status code, such as 200.
  public var status: Int
  /// The response's header fields (of the final response only, not of redirects).
  public var headers: HTTPHeaders
  /// The body, when it was collected into memory; empty when it went to a file or was discarded.
  public var body: Data
  /// The URL that answered, after any redirects.
  public var url: URL
  /// The protocol version the response came over.
  public var version: HTTPVersion
  /// How many attempts it took (1 when there was no retry).
  public var attempts: Int

  public init(
    status: Int, headers: HTTPHeaders, body: Data, url: URL, version: HTTPVersion,
    attempts: Int = 1
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.url = url
    self.version = version
    self.attempts = attempts
  }

  /// Whether the status is 2xx.
  public var isSuccess: Bool { (200..<300).contains(status) }

  /// The body decoded as UTF-8, or nil when it is not valid UTF-8.
  public var text: String? { String(data: body, encoding: .utf8) }

  /// Returns the response when its status is 2xx; otherwise throws `HTTPError.unexpectedStatus`,
  /// which names the status, the URL and the start of the body.
  @discardableResult
  public func ensureSuccess() throws(HTTPError) -> HTTPResponse {
    guard isSuccess else {
      throw .unexpectedStatus(
        status: status, url: Redaction.url(url.absoluteString), attempts: attempts,
        bodyExcerpt: Self.excerpt(of: body))
    }
    return self
  }

  /// The first 300 characters of a textual body, on one line; empty for binary bodies.
  static func excerpt(of body: Data) -> String {
    guard let text = String(data: body.prefix(300), encoding: .utf8) else { return "" }
    return text.split(whereSeparator: \.isNewline).joined(separator: " ")
      .trimmingCharacters(in: .whitespaces)
  }
}
