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
  private(set) var configuredProxy: String?
  /// Set by `CurlMultiLoop.cancel` (any thread), read by the loop thread.
  let cancellationRequested = Mutex(false)
  /// Strings that must not appear in error text: URL password and credential header values.
  var secrets: [String] = []
  var continuation: CheckedContinuation<TransferOutcome, Never>?
  /// A failure of our own (reading or writing a body file) that made a callback abort the
  /// transfer; it explains the error code curl then reports.
  var callbackFailure: HTTPError?
  let errorBuffer: UnsafeMutablePointer<CChar>

  private var headerList: UnsafeMutablePointer<curl_slist>?
  private var connectToList: UnsafeMutablePointer<curl_slist>?
  private var uploadBytes: Data?
  private var uploadOffset = 0
  private var uploadFile: Int32 = -1
  private var uploadPath = ""
  private var uploadLength: Int64 = 0
  private var sinkFile: Int32 = -1
  private var sinkPath = ""
  private var collectsBody = false
  private var body = Data()
  private var headers = HTTPHeaders()
  private var progressHandler: HTTPProgressHandler?
  private var lastProgress: HTTPTransferProgress?

  /// Creates and configures the easy handle; opens the body files.
  init(
    request: HTTPRequest, destination: HTTPResponseBodyDestination,
    configuration: HTTPClientConfiguration, progress: HTTPProgressHandler?
  ) throws(HTTPError) {
    CurlGlobal.initialize()
    requestURL = request.url
    displayURL = Redaction.url(request.url.absoluteString)
    timeouts = request.timeouts ?? configuration.timeouts
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
    var status = 0
    tg_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
    var version = 0
    tg_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
    var effective: UnsafeMutablePointer<CChar>?
    tg_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
    let url = effective.flatMap { URL(string: String(cString: $0)) } ?? requestURL
    return .completed(
      HTTPResponse(
        status: status, headers: headers, body: body, url: url,
        version: HTTPVersion(curlVersion: version)))
  }

  // MARK: Configuration

  private func configure(
    request: HTTPRequest, destination: HTTPResponseBodyDestination,
    configuration: HTTPClientConfiguration
  ) throws(HTTPError) {
    let tls = configuration.tls
    var url = request.url.absoluteString
    if let serverName = tls.serverName, request.url.scheme?.lowercased() == "https",
      let host = request.url.host(), host != serverName
    {
      // libcurl 7.88 cannot verify against another name than the URL's host, so the URL carries
      // the expected name and CONNECT_TO routes the connection to the real host.
      let port = request.url.port ?? 443
      var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
      components?.host = serverName
      guard let rewritten = components?.url?.absoluteString else {
        throw .invalidURL(displayURL, reason: "cannot use TLS server name \(serverName)")
      }
      url = rewritten
      let target = host.contains(":") ? "[\(host)]" : host
      connectToList = curl_slist_append(nil, "\(serverName):\(port):\(target):\(port)")
      try set(CURLOPT_CONNECT_TO, connectToList)
    }
    try set(CURLOPT_URL, url)
    try set(CURLOPT_ERRORBUFFER, UnsafeRawPointer(errorBuffer))
    // The loop thread is one of many threads; curl must not use signals (SIGALRM) for timeouts.
    try set(CURLOPT_NOSIGNAL, 1)
    try set(CURLOPT_PROTOCOLS_STR, "http,https")
    try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
    try set(CURLOPT_FOLLOWLOCATION, configuration.maximumRedirects > 0 ? 1 : 0)
    try set(CURLOPT_MAXREDIRS, configuration.maximumRedirects)
    try set(CURLOPT_USERAGENT, configuration.userAgent)
    try set(CURLOPT_TCP_KEEPALIVE, 1)
    // Larger buffers than curl's 16 KiB default: fewer callbacks per GiB streamed.
    try set(CURLOPT_BUFFERSIZE, 512 * 1024)
    try set(CURLOPT_UPLOAD_BUFFERSIZE, 512 * 1024)
    switch configuration.versionPreference {
    case .http2OverTLS:
      try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
      // Wait for a connection that may multiplex rather than opening a second one.
      try set(CURLOPT_PIPEWAIT, 1)
    case .http11Only:
      try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
    }
    switch configuration.proxy {
    case .environment:
      break  // libcurl reads http_proxy, https_proxy, no_proxy... itself.
    case .url(let proxy):
      if let password = URL(string: proxy)?.password(percentEncoded: false) {
        secrets.append(password)
      }
      configuredProxy = Redaction.url(proxy)
      try set(CURLOPT_PROXY, proxy)
    case .direct:
      try set(CURLOPT_PROXY, "")  // an empty proxy disables the environment's too
    }
    try configureTimeouts()
    try configureTLS(tls)
    try configureMethodAndBody(request)
    try configureHeaders(request)
    try configureResponse(destination)
    try configureCallbacks()
  }

  private func configureTimeouts() throws(HTTPError) {
    try set(CURLOPT_CONNECTTIMEOUT_MS, timeouts.connect?.roundedUpMilliseconds ?? 0)
    try set(CURLOPT_TIMEOUT_MS, timeouts.total?.roundedUpMilliseconds ?? 0)
    if let lowSpeed = timeouts.lowSpeed {
      try set(CURLOPT_LOW_SPEED_LIMIT, max(1, lowSpeed.bytesPerSecond))
      try set(CURLOPT_LOW_SPEED_TIME, lowSpeed.duration.roundedUpSeconds)
    }
  }

  private func configureTLS(_ tls: TLSConfiguration) throws(HTTPError) {
    switch tls.certificateAuthorities {
    case .system:
      break  // libcurl's built-in default: the system bundle.
    case .file(let path):
      try set(CURLOPT_CAINFO, path)
    case .pem(let pem):
      try setBlob(CURLOPT_CAINFO_BLOB, pem)
    }
    switch tls.clientIdentity {
    case nil:
      break
    case .files(let certificatePath, let keyPath):
      try set(CURLOPT_SSLCERT, certificatePath)
      try set(CURLOPT_SSLKEY, keyPath)
    case .pem(let certificate, let key):
      try setBlob(CURLOPT_SSLCERT_BLOB, certificate)
      try set(CURLOPT_SSLCERTTYPE, "PEM")
      try setBlob(CURLOPT_SSLKEY_BLOB, key)
      try set(CURLOPT_SSLKEYTYPE, "PEM")
    }
    if tls.skipsVerification {
      try set(CURLOPT_SSL_VERIFYPEER, 0)
      try set(CURLOPT_SSL_VERIFYHOST, 0)
    }
  }

  private func configureMethodAndBody(_ request: HTTPRequest) throws(HTTPError) {
    let method = request.method
    switch request.body {
    case .empty:
      uploadBytes = nil
    case .bytes(let data):
      uploadBytes = data
      uploadLength = Int64(data.count)
    case .file(let path):
      uploadPath = path
      uploadFile = open(path, O_RDONLY | O_CLOEXEC)
      guard uploadFile >= 0 else {
        throw .fileError(path: path, operation: "open the request body", reason: errnoText())
      }
      var info = stat()
      guard fstat(uploadFile, &info) == 0 else {
        throw .fileError(path: path, operation: "read the size of", reason: errnoText())
      }
      uploadLength = Int64(info.st_size)
    }
    let hasBody = uploadBytes != nil || uploadFile >= 0
    if method == .head {
      try set(CURLOPT_NOBODY, 1)
    } else if method == .get && !hasBody {
      try set(CURLOPT_HTTPGET, 1)
    } else if method == .post {
      // POST keeps curl's redirect rules for POST (301/302/303 become GET, as browsers do).
      try set(CURLOPT_POST, 1)
      try set(CURLOPT_POSTFIELDSIZE_LARGE, uploadLength)
    } else if hasBody {
      // A custom method is kept on every redirect, 303 included (curl's rule for
      // CURLOPT_CUSTOMREQUEST); PUT follows the usual rules.
      try set(CURLOPT_UPLOAD, 1)
      try set(CURLOPT_INFILESIZE_LARGE, uploadLength)
      if method != .put { try set(CURLOPT_CUSTOMREQUEST, method.rawValue) }
    } else {
      try set(CURLOPT_CUSTOMREQUEST, method.rawValue)
    }
  }

  private func configureHeaders(_ request: HTTPRequest) throws(HTTPError) {
    var lines: [String] = []
    for field in request.headers {
      // "Name;" is curl's way to send a header with an empty value; "Name:" would remove it.
      lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
    }
    // curl would otherwise wait up to a second for "100 Continue" before sending a body, and
    // label every POST as a form.
    if !request.headers.contains("Expect") { lines.append("Expect:") }
    if request.method == .post && !request.headers.contains("Content-Type") {
      lines.append("Content-Type:")
    }
    for line in lines {
      guard let list = curl_slist_append(headerList, line) else {
        throw .invalidRequest(url: displayURL, reason: "out of memory building the header list")
      }
      headerList = list
    }
    try set(CURLOPT_HTTPHEADER, headerList)
  }

  private func configureResponse(_ destination: HTTPResponseBodyDestination) throws(HTTPError) {
    switch destination {
    case .memory:
      collectsBody = true
    case .discard:
      collectsBody = false
    case .file(let path):
      sinkPath = path
      sinkFile = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
      guard sinkFile >= 0 else {
        throw .fileError(path: path, operation: "create the response file", reason: errnoText())
      }
    }
  }

  private func configureCallbacks() throws(HTTPError) {
    let context = UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque())
    try check(
      tg_easy_setopt_write(easy) { data, size, count, context in
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
        return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
      }, CURLOPT_WRITEFUNCTION)
    try set(CURLOPT_WRITEDATA, context)
    try check(
      tg_easy_setopt_header(easy) { data, size, count, context in
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
        return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
      }, CURLOPT_HEADERFUNCTION)
    try set(CURLOPT_HEADERDATA, context)
    try check(
      tg_easy_setopt_read(easy) { data, size, count, context in
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
        return transfer.sendBody(UnsafeMutableRawBufferPointer(start: data, count: size * count))
      }, CURLOPT_READFUNCTION)
    try set(CURLOPT_READDATA, context)
    try check(
      tg_easy_setopt_seek(easy) { context, offset, origin in
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
        return transfer.rewindBody(to: offset, origin: origin)
      }, CURLOPT_SEEKFUNCTION)
    try set(CURLOPT_SEEKDATA, context)
    if progressHandler != nil {
      try check(
        tg_easy_setopt_xferinfo(easy) { context, downTotal, downNow, upTotal, upNow in
          let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
          transfer.report(downTotal: downTotal, downNow: downNow, upTotal: upTotal, upNow: upNow)
          return 0
        }, CURLOPT_XFERINFOFUNCTION)
      try set(CURLOPT_XFERINFODATA, context)
      try set(CURLOPT_NOPROGRESS, 0)
    }
  }

  // MARK: Callbacks (loop thread)

  private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
    if sinkFile >= 0 {
      var written = 0
      while written < bytes.count {
        let result = write(sinkFile, bytes.baseAddress! + written, bytes.count - written)
        if result < 0 {
          if errno == EINTR { continue }
          callbackFailure = .fileError(path: sinkPath, operation: "write", reason: errnoText())
          return 0
        }
        written += result
      }
    } else if collectsBody {
      body.append(contentsOf: bytes)
    }
    return bytes.count
  }

  private func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
    let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(
      in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
      // A new response starts (after a redirect or a 1xx): only the final one's fields count.
      headers = HTTPHeaders()
    } else if let colon = line.firstIndex(of: ":") {
      let name = String(line[..<colon])
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      headers.add(name, value)
    }
    return bytes.count
  }

  private func sendBody(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
    if uploadFile >= 0 {
      while true {
        let result = read(uploadFile, buffer.baseAddress!, buffer.count)
        if result >= 0 { return result }
        if errno == EINTR { continue }
        callbackFailure = .fileError(path: uploadPath, operation: "read", reason: errnoText())
        return Int(CURL_READFUNC_ABORT)
      }
    }
    guard let bytes = uploadBytes else { return 0 }
    let count = min(buffer.count, bytes.count - uploadOffset)
    guard count > 0 else { return 0 }
    let start = bytes.startIndex + uploadOffset
    bytes.copyBytes(
      to: buffer.bindMemory(to: UInt8.self), from: start..<start + count)
    uploadOffset += count
    return count
  }

  /// curl rewinds the body to resend it after a redirect or an authentication round.
  private func rewindBody(to offset: curl_off_t, origin: Int32) -> Int32 {
    guard origin == SEEK_SET else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
    if uploadFile >= 0 {
      return lseek(uploadFile, off_t(offset), SEEK_SET) < 0
        ? Int32(CURL_SEEKFUNC_FAIL) : Int32(CURL_SEEKFUNC_OK)
    }
    uploadOffset = Int(offset)
    return Int32(CURL_SEEKFUNC_OK)
  }

  private func report(
    downTotal: curl_off_t, downNow: curl_off_t, upTotal: curl_off_t, upNow: curl_off_t
  ) {
    let hasUpload = uploadBytes != nil || uploadFile >= 0
    let progress = HTTPTransferProgress(
      bytesSent: Int64(upNow), expectedBytesToSend: hasUpload ? uploadLength : nil,
      bytesReceived: Int64(downNow), expectedBytesToReceive: downTotal > 0 ? Int64(downTotal) : nil)
    // curl calls about once a second even when nothing moved; report changes only.
    guard progress != lastProgress else { return }
    lastProgress = progress
    progressHandler?(progress)
  }

  // MARK: Option helpers

  private func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
    try check(tg_easy_setopt_long(easy, option, value), option)
  }

  private func set(_ option: CURLoption, _ value: Int64) throws(HTTPError) {
    try check(tg_easy_setopt_off(easy, option, curl_off_t(value)), option)
  }

  private func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
    try check(tg_easy_setopt_string(easy, option, value), option)
  }

  private func set(_ option: CURLoption, _ value: UnsafeRawPointer?) throws(HTTPError) {
    try check(tg_easy_setopt_ptr(easy, option, value), option)
  }

  private func set(_ option: CURLoption, _ list: UnsafeMutablePointer<curl_slist>?)
    throws(HTTPError)
  {
    try check(tg_easy_setopt_slist(easy, option, list), option)
  }

  /// Passes PEM text as a blob; CURL_BLOB_COPY makes curl keep its own copy.
  private func setBlob(_ option: CURLoption, _ text: String) throws(HTTPError) {
    var bytes = Array(text.utf8)
    let code = bytes.withUnsafeMutableBytes { buffer in
      var blob = curl_blob(
        data: buffer.baseAddress, len: buffer.count, flags: UInt32(CURL_BLOB_COPY))
      return tg_easy_setopt_blob(easy, option, &blob)
    }
    try check(code, option)
  }

  private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPError) {
    guard code == CURLE_OK else {
      let reason = String(cString: curl_easy_strerror(code))
      throw .invalidRequest(
        url: displayURL, reason: "libcurl refused option \(option.rawValue): \(reason)")
    }
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
