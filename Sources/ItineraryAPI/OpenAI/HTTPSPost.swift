import CCurl
import Dispatch
import Foundation
import Synchronization

/// One HTTPS POST through libcurl (Debian's libcurl4-openssl-dev, the CCurl module map), for the OpenAI
/// planner. curl's easy interface blocks, so every call runs on this client's own serial queue and never
/// on Swift's cooperative pool; the worker plans one job at a time, so one queue is enough. Cancelling
/// the calling task aborts the transfer (curl's progress callback checks a flag), so a worker that
/// is stopping does not wait out a 30 s model call.
struct HTTPSPost: Sendable {
  /// What came back.
  struct Reply: Sendable {
    let status: Int
    let body: [UInt8]
  }

  /// A transport failure (DNS, connect, TLS, timeout): curl's message. Never contains headers.
  struct TransportError: Error, CustomStringConvertible {
    let url: String
    let reason: String
    var description: String { "POST \(url): \(reason)" }
  }

  private static let initialised: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
  private let queue = DispatchQueue(label: "tripgen.ai.https")

  func send(url: String, headers: [String], body: [UInt8], timeoutSeconds: Int) async throws
    -> Reply
  {
    let sink = Sink()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        queue.async {
          continuation.resume(
            with: Result {
              try Self.perform(
                url: url, headers: headers, body: body, timeoutSeconds: timeoutSeconds, sink: sink)
            })
        }
      }
    } onCancel: {
      sink.cancelled.store(true, ordering: .relaxed)
    }
  }

  /// Collects the response body for curl's write callback, and tells its progress callback to stop.
  private final class Sink: @unchecked Sendable {
    /// Written only by curl's callbacks on the client's queue.
    var bytes: [UInt8] = []
    let cancelled = Atomic<Bool>(false)
  }

  private static func perform(
    url: String, headers: [String], body: [UInt8], timeoutSeconds: Int, sink: Sink
  ) throws -> Reply {
    _ = initialised
    if sink.cancelled.load(ordering: .relaxed) { throw CancellationError() }
    guard let handle = curl_easy_init() else {
      throw TransportError(url: url, reason: "curl_easy_init failed")
    }
    defer { curl_easy_cleanup(handle) }
    var list: UnsafeMutablePointer<curl_slist>?
    for header in headers { list = curl_slist_append(list, header) }
    defer { curl_slist_free_all(list) }
    let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
    var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    let code: CURLcode = body.withUnsafeBufferPointer { bodyPointer in
      errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
        _ = tg_easy_setopt_string(handle, CURLOPT_URL, url)
        _ = tg_easy_setopt_long(handle, CURLOPT_POST, 1)
        _ = tg_easy_setopt_ptr(handle, CURLOPT_POSTFIELDS, bodyPointer.baseAddress)
        _ = tg_easy_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
        _ = tg_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        _ = tg_easy_setopt_long(handle, CURLOPT_TIMEOUT, timeoutSeconds)
        _ = tg_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = tg_easy_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
        _ = tg_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, sinkPointer)
        _ = tg_easy_setopt_write(handle) { data, size, count, context in
          guard let data, let context else { return 0 }
          let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
          let length = size * count
          data.withMemoryRebound(to: UInt8.self, capacity: length) {
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
          }
          return length
        }
        _ = tg_easy_setopt_ptr(handle, CURLOPT_XFERINFODATA, sinkPointer)
        _ = tg_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = tg_easy_setopt_xferinfo(handle) { context, _, _, _, _ in
          guard let context else { return 0 }
          let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
          return sink.cancelled.load(ordering: .relaxed) ? 1 : 0
        }
        return curl_easy_perform(handle)
      }
    }
    if code == CURLE_ABORTED_BY_CALLBACK { throw CancellationError() }
    guard code == CURLE_OK else {
      let detail = String(
        decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
      throw TransportError(url: url, reason: reason)
    }
    var status = 0
    _ = tg_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    return Reply(status: status, body: sink.bytes)
  }
}
