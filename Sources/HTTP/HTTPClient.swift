import Foundation

/// An HTTP client over libcurl, for async code.
///
/// Each client owns one curl multi handle, driven by one dedicated thread: requests to the same
/// host reuse connections (and multiplex over HTTP/2), and no blocking call runs on Swift's
/// cooperative pool. Create one client per set of TLS settings and share it.
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
        guard attempt < policy.maximumAttempts, RetryPolicy.isRetryable(status: response.status)
        else { return response }
        if let header = response.headers["Retry-After"],
          let requested = RetryPolicy.retryAfter(header)
        {
          // A server asking for a longer pause than we are willing to take gets its answer now.
          guard requested <= policy.maximumRetryAfter else { return response }
          wait = requested
        } else {
          wait = policy.backoff(afterAttempt: attempt, using: &generator)
        }
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
