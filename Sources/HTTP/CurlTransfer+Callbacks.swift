import CCurl
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The C callbacks curl calls while a transfer runs: body and header data, the request body,
/// rewinding, progress.
extension CurlTransfer {
  /// Points curl's callbacks at this transfer. The context pointer is unretained: the loop
  /// keeps the transfer alive while curl may call back.
  func configureCallbacks() throws(HTTPError) {
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

  // The callbacks run on the loop thread, inside curl_multi_perform.

  private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
    if let streamingBody {
      // A body without a head we recognised (an odd status line): hand the head over now.
      if !headDelivered { headEnded() }
      // Refused data is not consumed: curl offers it again once the loop resumes the transfer.
      return streamingBody.offer(bytes) ? bytes.count : Self.writePause
    }
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

  /// CURL_WRITEFUNC_PAUSE, a macro Swift does not import.
  static let writePause = 0x1000_0001

  private func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
    // Trailers of a streamed response arrive here after the body started: ignored.
    if headDelivered { return bytes.count }
    let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(
      in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
      // A new response starts (after a redirect or a 1xx): only the final one's fields count.
      headers = HTTPHeaders()
      statusLine = line
    } else if line.isEmpty {
      if streamingBody != nil { headEnded() }
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
}
