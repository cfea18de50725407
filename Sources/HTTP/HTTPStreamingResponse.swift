import Foundation

/// A response whose body is read as it arrives (`HTTPClient.stream`).
///
/// The status and headers are those of the final response (after redirects). Reading the body
/// slowly pauses the transfer rather than buffering without bound; dropping the body (with the
/// response) or cancelling the task reading it ends the transfer and closes its connection.
public struct HTTPStreamingResponse: Sendable {
  /// The status code, such as 200.
  public var status: Int
  /// The final response's header fields.
  public var headers: HTTPHeaders
  /// The URL that answered, after any redirects.
  public var url: URL
  /// The protocol version the response came over.
  public var version: HTTPVersion
  /// How many attempts it took to get the response head (1 when there was no retry).
  public var attempts: Int
  /// The body, in chunks as curl receives them.
  public var body: HTTPResponseBody

  /// Whether the status is 2xx.
  public var isSuccess: Bool { (200..<300).contains(status) }

  /// Reads the whole body (at most `limit` bytes; more fails with `HTTPError.transferFailed`)
  /// and returns the response as if it had been collected in memory, for error statuses whose
  /// body explains them.
  public func collected(limit: Int = 1 << 20) async throws -> HTTPResponse {
    var data = Data()
    for try await chunk in body {
      data.append(contentsOf: chunk)
      guard data.count <= limit else {
        throw HTTPError.transferFailed(
          url: Redaction.url(url.absoluteString),
          detail: "the response body is longer than the \(limit) bytes allowed")
      }
    }
    return HTTPResponse(
      status: status, headers: headers, body: data, url: url, version: version, attempts: attempts)
  }
}

/// The chunks of a streamed response body, as they arrive.
///
/// Iteration ends when the body is complete, or throws `HTTPError` (the connection broke, a
/// timeout ran out) or `CancellationError` (the reading task was cancelled). Iterators share one
/// position: iterate once. The transfer ends when the last copy of the body is released.
public struct HTTPResponseBody: AsyncSequence, Sendable {
  public typealias Element = [UInt8]

  let owner: StreamingTransferOwner

  public func makeAsyncIterator() -> Iterator { Iterator(owner: owner) }

  /// Reads the next chunk of the shared body.
  public struct Iterator: AsyncIteratorProtocol {
    let owner: StreamingTransferOwner

    public mutating func next() async throws -> [UInt8]? { try await owner.next() }
  }
}

/// Holds a streamed transfer for as long as its body may be read, and ends it when released.
final class StreamingTransferOwner: Sendable {
  let transfer: CurlTransfer
  let buffer: StreamingBodyBuffer
  private let loop: CurlMultiLoop

  init(transfer: CurlTransfer, buffer: StreamingBodyBuffer, loop: CurlMultiLoop) {
    self.transfer = transfer
    self.buffer = buffer
    self.loop = loop
  }

  deinit { loop.cancel(transfer) }

  func next() async throws -> [UInt8]? {
    try Task.checkCancellation()
    return try await withTaskCancellationHandler {
      try await buffer.next { loop.resume(transfer) }
    } onCancel: {
      buffer.finish(CancellationError())
      loop.cancel(transfer)
    }
  }
}
