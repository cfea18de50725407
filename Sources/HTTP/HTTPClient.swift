import Foundation

/// An HTTP client over libcurl, for async code.
///
/// Each client owns one curl multi handle, driven by one dedicated thread: requests to the same
/// host reuse connections (and multiplex over HTTP/2), and no blocking call runs on Swift's
/// cooperative pool. Create one client per set of TLS settings and share it.
///
/// `execute` collects a body in memory, into a file or nowhere; `stream` returns at the response
/// head and hands the body over in chunks as they arrive, pausing the transfer while the reader
/// is behind.
///
/// Cancelling the calling task removes the transfer and throws `CancellationError`.
///
/// Proxies come from the environment (`http_proxy`, `https_proxy`, `no_proxy`...), read by libcurl,
/// unless the configuration names one; see `HTTPClientConfiguration.Proxy`.
public final class HTTPClient: Sendable {
  public let configuration: HTTPClientConfiguration
  private let loop: CurlMultiLoop

  public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
    self.configuration = configuration
    loop = CurlMultiLoop()
  }

  deinit { loop.shutdown() }

  /// Stops the client's thread; requests still in flight fail with `HTTPError.cancelled`.
  /// Releasing the client does the same.
  public func shutdown() { loop.shutdown() }

  /// Sends `request`, retrying as the retry policy allows, and returns the final response,
  /// whatever its status (see `HTTPResponse.ensureSuccess()`).
  ///
  /// - Parameters:
  ///   - destination: where the response body goes: memory, a file, or nowhere.
  ///   - progress: called on the client's thread as bytes move; must return quickly.
  /// - Throws: `HTTPError` when no response could be had (wrapped in `retriesExhausted` when
  ///   several attempts failed), `CancellationError` when the task was cancelled.
  public func execute(
    _ request: HTTPRequest, to destination: HTTPResponseBodyDestination = .memory,
    progress: HTTPProgressHandler? = nil
  ) async throws -> HTTPResponse {
    let policy =
      request.isSafeToRepeat ? (request.retryPolicy ?? configuration.retryPolicy) : .never
    var generator = SystemRandomNumberGenerator()
    var attempt = 1
    while true {
      try Task.checkCancellation()
      let transfer = try CurlTransfer(
        request: request, destination: destination, configuration: configuration,
        progress: progress)
      let outcome = await transfer.run(on: loop)
      let wait: Duration
      switch outcome {
      case .cancelled:
        throw CancellationError()
      case .completed(var response):
        response.attempts = attempt
        // A server asking for a longer pause than we are willing to take gets its answer now.
        guard attempt < policy.maximumAttempts, RetryPolicy.isRetryable(status: response.status),
          let delay = Self.retryDelay(response, policy: policy, attempt: attempt, using: &generator)
        else { return response }
        wait = delay
      case .failed(let error):
        guard error.isConnectionError else { throw error }
        guard attempt < policy.maximumAttempts else {
          throw attempt > 1
            ? HTTPError.retriesExhausted(attempts: attempt, lastError: error) : error
        }
        wait = policy.backoff(afterAttempt: attempt, using: &generator)
      }
      try await Task.sleep(for: wait)
      attempt += 1
    }
  }
}

extension HTTPClient {
  /// Sends `request` and returns as soon as the final response's head arrives, with the body to
  /// be read as it comes (a Kubernetes watch, a log tail, a large download processed on the fly).
  ///
  /// Failures before the head are retried as `execute` retries them, and so are retryable
  /// statuses (their bodies dropped); once the head was returned nothing is retried, and a
  /// failure while the body streams is thrown by its iteration as `HTTPError`. No total timeout
  /// applies unless `request.timeouts` sets one; a stream that may stay silent (a watch) also
  /// needs `lowSpeed: nil` there. The response of any status is returned, as by `execute`.
  ///
  /// - Parameter bufferLimit: how many unread bytes may wait before the transfer is paused
  ///   (memory use is about this plus one read of curl's, 16 KiB).
  /// - Throws: `HTTPError` when no response head could be had, `CancellationError` when the task
  ///   was cancelled.
  public func stream(_ request: HTTPRequest, bufferLimit: Int = 1 << 20) async throws
    -> HTTPStreamingResponse
  {
    let policy =
      request.isSafeToRepeat ? (request.retryPolicy ?? configuration.retryPolicy) : .never
    var generator = SystemRandomNumberGenerator()
    var attempt = 1
    while true {
      try Task.checkCancellation()
      let buffer = StreamingBodyBuffer(limit: bufferLimit)
      let transfer = try CurlTransfer(
        request: request, destination: .discard, configuration: configuration, progress: nil,
        streamingBody: buffer)
      // Created before the start, so that the transfer ends however this attempt is left.
      let owner = StreamingTransferOwner(transfer: transfer, buffer: buffer, loop: loop)
      let outcome = await transfer.run(on: loop)
      let wait: Duration
      switch outcome {
      case .cancelled:
        throw CancellationError()
      case .completed(let head):
        guard attempt < policy.maximumAttempts, RetryPolicy.isRetryable(status: head.status),
          let delay = Self.retryDelay(head, policy: policy, attempt: attempt, using: &generator)
        else {
          return HTTPStreamingResponse(
            status: head.status, headers: head.headers, url: head.url, version: head.version,
            attempts: attempt, body: HTTPResponseBody(owner: owner))
        }
        wait = delay
      case .failed(let error):
        guard error.isConnectionError else { throw error }
        guard attempt < policy.maximumAttempts else {
          throw attempt > 1
            ? HTTPError.retriesExhausted(attempts: attempt, lastError: error) : error
        }
        wait = policy.backoff(afterAttempt: attempt, using: &generator)
      }
      try await Task.sleep(for: wait)
      attempt += 1
    }
  }

  /// The wait before retrying after a retryable status: the server's Retry-After, else the
  /// policy's backoff; nil when the server asks for longer than the policy accepts.
  static func retryDelay(
    _ response: HTTPResponse, policy: RetryPolicy, attempt: Int,
    using generator: inout some RandomNumberGenerator
  ) -> Duration? {
    if let header = response.headers["Retry-After"], let requested = RetryPolicy.retryAfter(header)
    {
      return requested <= policy.maximumRetryAfter ? requested : nil
    }
    return policy.backoff(afterAttempt: attempt, using: &generator)
  }

  /// GET `url` into memory.
  public func get(_ url: URL, headers: HTTPHeaders = [:]) async throws -> HTTPResponse {
    try await execute(HTTPRequest(method: .get, url: url, headers: headers))
  }

  /// Sends `body` to `url` with `method` (PUT by default) and collects the response in memory.
  public func send(
    _ body: HTTPRequestBody, to url: URL, method: HTTPMethod = .put, headers: HTTPHeaders = [:]
  ) async throws -> HTTPResponse {
    try await execute(HTTPRequest(method: method, url: url, headers: headers, body: body))
  }

  /// Streams the body at `url` into the file at `path`.
  public func download(
    _ url: URL, to path: String, headers: HTTPHeaders = [:], progress: HTTPProgressHandler? = nil
  ) async throws -> HTTPResponse {
    try await execute(
      HTTPRequest(method: .get, url: url, headers: headers), to: .file(path: path),
      progress: progress)
  }
}
