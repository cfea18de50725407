import CCurl
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension CurlTransfer {
  /// Maps curl's result to an `HTTPError` in words: curl's own explanation (the error buffer,
  /// else curl_easy_strerror), with credentials removed, never a bare number.
  func error(for code: CURLcode) -> HTTPError {
    if let callbackFailure { return callbackFailure }
    let url = currentDisplayURL()
    let (host, port) = currentHostAndPort()
    let detail = curlDetail(code)
    switch code {
    case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
      return .invalidURL(url, reason: detail)
    case CURLE_COULDNT_RESOLVE_HOST:
      return .hostNotFound(host: host, url: url)
    case CURLE_COULDNT_RESOLVE_PROXY:
      return .proxyFailed(url: url, detail: detail)
    case CURLE_COULDNT_CONNECT:
      var osError = 0
      tg_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &osError)
      let reason = osError != 0 ? errnoText(Int32(osError)).lowercased() : detail
      if let proxy = configuredProxy {
        return .proxyFailed(url: url, detail: "couldn't connect to proxy \(proxy): \(reason)")
      }
      return .connectFailed(host: host, port: port, reason: reason, url: url)
    case CURLE_OPERATION_TIMEDOUT:
      return timeoutError(detail: detail, url: url)
    case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
      CURLE_SSL_INVALIDCERTSTATUS:
      return .tlsFailure(.serverCertificateNotTrusted, host: host, detail: detail)
    case CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE:
      return .tlsFailure(.invalidCertificateAuthorities, host: host, detail: detail)
    case CURLE_SSL_CERTPROBLEM, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
      CURLE_SSL_ENGINE_INITFAILED:
      return .tlsFailure(.invalidClientIdentity, host: host, detail: detail)
    case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER, CURLE_SSL_SHUTDOWN_FAILED:
      return .tlsFailure(.handshakeFailed, host: host, detail: detail)
    case CURLE_TOO_MANY_REDIRECTS:
      return .tooManyRedirects(limit: maximumRedirects, url: displayURL)
    case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2,
      CURLE_HTTP2_STREAM, CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP3:
      return .connectionLost(url: url, detail: detail)
    default:
      return .transferFailed(url: url, detail: detail)
    }
  }

  /// Which limit ran out: curl reports all three as CURLE_OPERATION_TIMEDOUT and tells them
  /// apart only in its message.
  private func timeoutError(detail: String, url: String) -> HTTPError {
    if detail.contains("too slow"), let lowSpeed = timeouts.lowSpeed {
      return .timedOut(
        .lowSpeed(bytesPerSecond: lowSpeed.bytesPerSecond), after: lowSpeed.duration, url: url)
    }
    let duringConnect =
      detail.hasPrefix("Connection timed out") || detail.hasPrefix("Resolving timed out")
      || detail.contains("SSL connection timeout")
    if duringConnect, let connect = timeouts.connect,
      timeouts.total.map({ connect <= $0 }) ?? true
    {
      return .timedOut(.connect, after: connect, url: url)
    }
    if let total = timeouts.total {
      return .timedOut(.total, after: total, url: url)
    }
    return .timedOut(.connect, after: timeouts.connect ?? .zero, url: url)
  }

  /// curl's message for this failure, credentials removed.
  private func curlDetail(_ code: CURLcode) -> String {
    var text = String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)
    if text.isEmpty { text = String(cString: curl_easy_strerror(code)) }
    return Redaction.text(text, removing: secrets)
  }

  /// The URL curl was working on when it failed: after redirects, the last one.
  private func currentDisplayURL() -> String {
    var effective: UnsafeMutablePointer<CChar>?
    tg_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
    guard let effective else { return displayURL }
    return Redaction.text(Redaction.url(String(cString: effective)), removing: secrets)
  }

  private func currentHostAndPort() -> (String, Int) {
    var effective: UnsafeMutablePointer<CChar>?
    tg_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
    let url = effective.flatMap { URL(string: String(cString: $0)) } ?? requestURL
    let host = url.host() ?? requestURL.host() ?? "?"
    let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
    return (host, port)
  }
}
