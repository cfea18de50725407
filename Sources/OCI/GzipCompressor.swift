import CZlib

/// Streams bytes through zlib's deflate with a gzip wrapper into another sink.
///
/// The gzip header is fixed (no file name, modification time 0, OS byte 255 "unknown", as Go's
/// compress/gzip writes it), so the compressed bytes depend only on the input, the level and zlib.
final class GzipCompressor: ByteSink {
  private let next: any ByteSink
  private let path: String
  private let stream: UnsafeMutablePointer<z_stream>
  private let header: UnsafeMutablePointer<gz_header>
  private let output: UnsafeMutableRawBufferPointer
  private var finished = false

  /// - Parameters:
  ///   - level: zlib's compression level, 1 (fastest) to 9 (smallest).
  ///   - path: the file being written, named in errors.
  init(level: Int32, next: any ByteSink, path: String) throws(OCIError) {
    self.next = next
    self.path = path
    // zlib keeps a pointer back to the z_stream, so it must not move: allocate it.
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    header = .allocate(capacity: 1)
    header.initialize(to: gz_header())
    output = .allocate(byteCount: 256 << 10, alignment: 16)
    // 15 window bits + 16 asks for a gzip wrapper instead of zlib's.
    let status = deflateInit2_(
      stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
      Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
      stream.deallocate()
      header.deallocate()
      output.deallocate()
      throw .compressionFailed(path: path, reason: "deflateInit2 returned \(status)")
    }
    header.pointee.time = 0
    header.pointee.os = 255
    deflateSetHeader(stream, header)
  }

  deinit {
    deflateEnd(stream)
    stream.deallocate()
    header.deallocate()
    output.deallocate()
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws(OCIError) {
    guard !bytes.isEmpty else { return }
    stream.pointee.next_in = UnsafeMutablePointer(
      mutating: bytes.baseAddress!.assumingMemoryBound(to: Bytef.self))
    stream.pointee.avail_in = uInt(bytes.count)
    try run(flush: Z_NO_FLUSH)
  }

  /// Flushes the last compressed bytes and the gzip trailer (CRC-32 and length).
  func finish() throws(OCIError) {
    guard !finished else { return }
    finished = true
    stream.pointee.next_in = nil
    stream.pointee.avail_in = 0
    try run(flush: Z_FINISH)
  }

  private func run(flush: Int32) throws(OCIError) {
    repeat {
      stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
      stream.pointee.avail_out = uInt(output.count)
      let status = deflate(stream, flush)
      guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
        throw .compressionFailed(path: path, reason: "deflate returned \(status)")
      }
      let produced = output.count - Int(stream.pointee.avail_out)
      if produced > 0 {
        try next.write(UnsafeRawBufferPointer(rebasing: output[0..<produced]))
      }
      if flush == Z_FINISH && status == Z_STREAM_END { return }
    } while stream.pointee.avail_out == 0 || (flush == Z_FINISH)
  }
}
