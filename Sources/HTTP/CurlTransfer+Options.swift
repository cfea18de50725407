import CCurl
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Translating an `HTTPRequest` and the client configuration into curl easy-handle options.
extension CurlTransfer {

  /// Sets every option of the easy handle for `request` (creating task, before the start).
  func configure(
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
    // Larger buffers than curl's 16 KiB default: fewer callbacks per GiB streamed. A streamed
    // body keeps the default, so that a reader gets small writes (watch events) promptly and
    // the back-pressure bound is not dwarfed by one callback's worth.
    if streamingBody == nil { try set(CURLOPT_BUFFERSIZE, 512 * 1024) }
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
    // A tunnelling proxy's "200 Connection established" head is not the response's.
    try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
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

  // Typed setters over the C shim; a refused option becomes `HTTPError.invalidRequest`.

  func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
    try check(tg_easy_setopt_long(easy, option, value), option)
  }

  func set(_ option: CURLoption, _ value: Int64) throws(HTTPError) {
    try check(tg_easy_setopt_off(easy, option, curl_off_t(value)), option)
  }

  func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
    try check(tg_easy_setopt_string(easy, option, value), option)
  }

  func set(_ option: CURLoption, _ value: UnsafeRawPointer?) throws(HTTPError) {
    try check(tg_easy_setopt_ptr(easy, option, value), option)
  }

  func set(_ option: CURLoption, _ list: UnsafeMutablePointer<curl_slist>?)
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

  func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPError) {
    guard code == CURLE_OK else {
      let reason = String(cString: curl_easy_strerror(code))
      throw .invalidRequest(
        url: displayURL, reason: "libcurl refused option \(option.rawValue): \(reason)")
    }
  }
}
