import CCurl
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// How one transfer ended.
enum TransferOutcome: Sendable {
  case completed(HTTPResponse)
  case failed(HTTPError)
  /// The Swift task was cancelled; the transfer was removed from the multi handle.
  case cancelled
}

/// One attempt at a request: a configured curl easy handle, the callbacks' state, and the
/// continuation of the task waiting for it.
///
/// Thread confinement instead of locks: the creating task sets the transfer up, then hands it to
/// the `CurlMultiLoop`, whose thread alone touches it until it resumes the continuation. Only
/// `cancellationRequested` is shared, behind a mutex.
final class CurlTransfer: @unchecked Sendable {
  let easy: UnsafeMutableRawPointer
  /// The request URL with credentials removed, for error messages.
  let displayURL: String
  let requestURL: URL
  let timeouts: HTTPTimeouts
  let maximumRedirects: Int
  /// The explicitly configured proxy, credentials removed, for error messages.
  var configuredProxy: String?
  /// Set by `CurlMultiLoop.cancel` (any thread), read by the loop thread.
  let cancellationRequested = Mutex(false)
  /// Strings that must not appear in error text: URL password and credential header values.
  var secrets: [String] = []
  var continuation: CheckedContinuation<TransferOutcome, Never>?
  /// A failure of our own (reading or writing a body file) that made a callback abort the
  /// transfer; it explains the error code curl then reports.
  var callbackFailure: HTTPError?
  let errorBuffer: UnsafeMutablePointer<CChar>

  // Callback and configuration state, shared with the extensions in CurlTransfer+*.swift.
  var headerList: UnsafeMutablePointer<curl_slist>?
  var connectToList: UnsafeMutablePointer<curl_slist>?
  var uploadBytes: Data?
  var uploadOffset = 0
  var uploadFile: Int32 = -1
  var uploadPath = ""
  var uploadLength: Int64 = 0
  var sinkFile: Int32 = -1
  var sinkPath = ""
  var collectsBody = false
  var body = Data()
  var headers = HTTPHeaders()
  /// For `HTTPClient.stream`: where body chunks go, and whether the head was handed over.
  var streamingBody: StreamingBodyBuffer?
  var headDelivered = false
  var statusLine = ""
  var progressHandler: HTTPProgressHandler?
  var lastProgress: HTTPTransferProgress?

  /// Creates and configures the easy handle; opens the body files.
  init(
    request: HTTPRequest, destination: HTTPResponseBodyDestination,
    configuration: HTTPClientConfiguration, progress: HTTPProgressHandler?,
    streamingBody: StreamingBodyBuffer? = nil
  ) throws(HTTPError) {
    CurlGlobal.initialize()
    requestURL = request.url
    displayURL = Redaction.url(request.url.absoluteString)
    self.streamingBody = streamingBody
    if let timeouts = request.timeouts {
      self.timeouts = timeouts
    } else if streamingBody != nil {
      // A stream lasts as long as its reader wants: only an explicit request limits its total.
      var timeouts = configuration.timeouts
      timeouts.total = nil
      self.timeouts = timeouts
    } else {
      timeouts = configuration.timeouts
    }
    maximumRedirects = configuration.maximumRedirects
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    guard let handle = curl_easy_init() else {
      errorBuffer.deallocate()
      throw .invalidRequest(
        url: Redaction.url(request.url.absoluteString), reason: "curl_easy_init failed")
    }
    easy = handle
    progressHandler = progress
    if let password = request.url.password(percentEncoded: false) { secrets.append(password) }
    if let password = request.url.password(percentEncoded: true) { secrets.append(password) }
    for field in request.headers where Redaction.isSensitiveHeader(field.name) {
      secrets.append(field.value)
      // "Bearer abc": the token alone may be quoted too.
      if let token = field.value.split(separator: " ").last { secrets.append(String(token)) }
    }
    try configure(request: request, destination: destination, configuration: configuration)
  }

  deinit {
    curl_easy_cleanup(easy)
    curl_slist_free_all(headerList)
    curl_slist_free_all(connectToList)
    errorBuffer.deallocate()
    if uploadFile >= 0 { close(uploadFile) }
    if sinkFile >= 0 { close(sinkFile) }
  }

  // MARK: Running

  /// Hands the transfer to `loop` and waits for its outcome. Cancelling the task removes the
  /// transfer from the loop and yields `.cancelled`.
  func run(on loop: CurlMultiLoop) async -> TransferOutcome {
    await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        self.continuation = continuation
        loop.start(self)
      }
    } onCancel: {
      loop.cancel(self)
    }
  }

  /// Called once, on the loop thread, after the handle left the multi handle.
  func finish(_ outcome: TransferOutcome) {
    switch outcome {
    case .completed: streamingBody?.finish(nil)
    case .failed(let error): streamingBody?.finish(error)
    case .cancelled: streamingBody?.finish(CancellationError())
    }
    let continuation = self.continuation
    self.continuation = nil
    continuation?.resume(returning: outcome)
  }

  /// The outcome for curl's result `code`, read from the easy handle (loop thread).
  func outcome(for code: CURLcode) -> TransferOutcome {
    if sinkFile >= 0 {
      let closed = close(sinkFile)
      sinkFile = -1
      if closed != 0 && code == CURLE_OK {
        return .failed(.fileError(path: sinkPath, operation: "write", reason: errnoText()))
      }
    }
    guard code == CURLE_OK else { return .failed(error(for: code)) }
    return .completed(currentResponse())
  }

  /// The response as far as it arrived: status, headers, body collected so far (loop thread).
  func currentResponse() -> HTTPResponse {
    var status = 0
    tg_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
    var version = 0
    tg_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
    var effective: UnsafeMutablePointer<CChar>?
    tg_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
    let url = effective.flatMap { URL(string: String(cString: $0)) } ?? requestURL
    return HTTPResponse(
      status: status, headers: headers, body: body, url: url,
      version: HTTPVersion(curlVersion: version))
  }

  /// For a streamed transfer, at the end of a response head (loop thread): hands the head to the
  /// waiting task unless curl will go on to another response (an interim 1xx, or a redirect it
  /// follows). Body chunks go to `streamingBody` from then on.
  func headEnded() {
    let fields = statusLine.split(separator: " ", maxSplits: 2)
    let status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
    if (100..<200).contains(status) { return }
    if (300..<400).contains(status), maximumRedirects > 0, headers["Location"] != nil { return }
    headDelivered = true
    let continuation = self.continuation
    self.continuation = nil
    continuation?.resume(returning: .completed(currentResponse()))
  }
}

extension HTTPVersion {
  init(curlVersion: Int) {
    switch curlVersion {
    case Int(CURL_HTTP_VERSION_1_0): self = .http10
    case Int(CURL_HTTP_VERSION_1_1): self = .http11
    case Int(CURL_HTTP_VERSION_2_0): self = .http2
    case Int(CURL_HTTP_VERSION_3): self = .http3
    default: self = .unknown
    }
  }
}

/// The current `errno` as words: "No such file or directory".
func errnoText(_ code: Int32 = errno) -> String {
  String(cString: strerror(code))
}

/// curl_global_init, once per process, before the first handle.
enum CurlGlobal {
  private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

  static func initialize() { _ = initialized }
}
