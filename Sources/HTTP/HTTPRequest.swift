import Foundation

/// Where a request body comes from.
public enum HTTPRequestBody: Sendable {
  /// No body.
  case empty
  /// A body held in memory.
  case bytes(Data)
  /// A body streamed from a file, read as it is sent; it is re-read from the start when the
  /// request is redirected or retried. Its length is the file's size when the attempt starts.
  case file(path: String)
}

/// One HTTP request: method, URL, headers and body, plus optional per-request overrides of the
/// client's timeouts and retry policy. Its description (for logs) redacts credentials.
public struct HTTPRequest: Sendable, CustomStringConvertible {
  public var method: HTTPMethod
  public var url: URL
  public var headers: HTTPHeaders
  public var body: HTTPRequestBody
  /// Overrides the client's timeouts for this request.
  public var timeouts: HTTPTimeouts?
  /// Overrides the client's retry policy for this request.
  public var retryPolicy: RetryPolicy?

  private var safeToRepeatOverride: Bool?

  public init(
    method: HTTPMethod = .get, url: URL, headers: HTTPHeaders = [:], body: HTTPRequestBody = .empty
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }

  /// `PUT https://<redacted>@host/path` and the header fields, credentials redacted.
  public var description: String {
    let line = "\(method) \(Redaction.url(url.absoluteString))"
    return headers.count == 0 ? line : "\(line)\n\(headers)"
  }

  /// Whether sending the request twice does no more harm than sending it once, so that it may be
  /// retried. Defaults to whether the method is idempotent; set it to `true` for a POST or PATCH
  /// that the server deduplicates (an idempotency key, a content-addressed upload).
  public var isSafeToRepeat: Bool {
    get { safeToRepeatOverride ?? method.isIdempotent }
    set { safeToRepeatOverride = newValue }
  }
}

/// Where a response body goes.
public enum HTTPResponseBodyDestination: Sendable {
  /// Collected into `HTTPResponse.body`.
  case memory
  /// Streamed into a file as it arrives (created or truncated; truncated again on each retry).
  /// `HTTPResponse.body` stays empty.
  case file(path: String)
  /// Read and dropped; only the status and headers are kept.
  case discard
}

/// How far a transfer has got, reported while it runs.
public struct HTTPTransferProgress: Sendable, Equatable {
  /// Bytes of the request body sent so far.
  public var bytesSent: Int64
  /// The request body's length, when known.
  public var expectedBytesToSend: Int64?
  /// Bytes of the response body received so far.
  public var bytesReceived: Int64
  /// The response body's length (`Content-Length`), when the server announced it.
  public var expectedBytesToReceive: Int64?

  public init(
    bytesSent: Int64, expectedBytesToSend: Int64?, bytesReceived: Int64,
    expectedBytesToReceive: Int64?
  ) {
    self.bytesSent = bytesSent
    self.expectedBytesToSend = expectedBytesToSend
    self.bytesReceived = bytesReceived
    self.expectedBytesToReceive = expectedBytesToReceive
  }
}

/// A progress callback. It runs on the client's transfer thread, so it must return quickly and
/// must not block; hand the value to an actor or an `AsyncStream` to do more.
public typealias HTTPProgressHandler = @Sendable (HTTPTransferProgress) -> Void
