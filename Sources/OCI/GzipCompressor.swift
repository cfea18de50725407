import CZlib
import Dispatch
import Foundation

/// Streams bytes into a gzip file, compressing pieces in parallel the way pigz does, with zlib's
/// deflate doing the compression.
///
/// The input is cut into fixed 128 KiB blocks. Each block is compressed as raw deflate on its own,
/// primed with the 32 KiB before it as the dictionary (so the ratio stays that of one stream), and ends
/// with a sync flush (the last block with the final bit); the blocks concatenated are one valid deflate
/// stream. Their CRC-32s combine into the trailer's. Block and batch sizes are constants, never derived
/// from the core count, so the bytes are the same on every machine with the same zlib.
///
/// The gzip header is fixed (no file name, modification time 0, OS byte 255 "unknown", as Go's
/// compress/gzip writes it), so the output depends only on the input, the level and zlib.
final class GzipCompressor: ByteSink {
  static let blockSize = 128 << 10
  static let dictionarySize = 32 << 10
  /// Blocks compressed together: enough to keep every core busy, few enough to bound memory (4 MiB).
  static let blocksPerBatch = 32

  private let next: any ByteSink
  private let path: String
  private let level: Int32
  /// Input not compressed yet, preceded by the dictionary for its first block.
  private var pending: [UInt8] = []
  /// How many bytes at the start of `pending` are dictionary (already compressed) rather than input.
  private var dictionaryCount = 0
  private var crc: uLong = crc32(0, nil, 0)
  private var totalInput = 0
  private var headerWritten = false
  private var finished = false

  /// - Parameters:
  ///   - level: zlib's compression level, 1 (fastest) to 9 (smallest).
  ///   - path: the file being written, named in errors.
  init(level: Int32, next: any ByteSink, path: String) throws(OCIError) {
    guard (1...9).contains(level) else {
      throw .compressionFailed(path: path, reason: "level \(level) is not between 1 and 9")
    }
    self.level = level
    self.next = next
    self.path = path
    pending.reserveCapacity(Self.dictionarySize + Self.blockSize * Self.blocksPerBatch)
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws(OCIError) {
    var remaining = bytes[...]
    let batchBytes = Self.blockSize * Self.blocksPerBatch
    while !remaining.isEmpty {
      let room = dictionaryCount + batchBytes - pending.count
      let piece = remaining.prefix(room)
      pending.append(contentsOf: piece)
      remaining = remaining.dropFirst(piece.count)
      if pending.count == dictionaryCount + batchBytes { try compressPending(isLast: false) }
    }
  }

  /// Compresses what is left and writes the gzip trailer (CRC-32 and length).
  func finish() throws(OCIError) {
    guard !finished else { return }
    finished = true
    try compressPending(isLast: true)
    var trailer: [UInt8] = []
    for shift in stride(from: 0, to: 32, by: 8) {
      trailer.append(UInt8(truncatingIfNeeded: crc >> shift))
    }
    for shift in stride(from: 0, to: 32, by: 8) {
      trailer.append(UInt8(truncatingIfNeeded: totalInput >> shift))
    }
    try next.write(trailer)
  }

  private func compressPending(isLast: Bool) throws(OCIError) {
    if !headerWritten {
      headerWritten = true
      // The extra-flags byte says what zlib's own gzip writer would: 2 for level 9, 4 for level 1.
      let extraFlags: UInt8 = level == 9 ? 2 : (level == 1 ? 4 : 0)
      try next.write([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, extraFlags, 255])
    }
    let inputCount = pending.count - dictionaryCount
    let blockCount = max(1, (inputCount + Self.blockSize - 1) / Self.blockSize)
    let (level, inputStart) = (level, dictionaryCount)
    let results = pending.withUnsafeBytes { buffer in
      let outputs = BlockResults(count: blockCount)
      let shared = SharedBytes(buffer: buffer)
      DispatchQueue.concurrentPerform(iterations: blockCount) { index in
        let all = shared.buffer
        let start = inputStart + index * Self.blockSize
        let end = min(start + Self.blockSize, all.count)
        let dictionaryStart = max(0, start - Self.dictionarySize)
        outputs.set(
          index,
          Self.compressBlock(
            UnsafeRawBufferPointer(rebasing: all[start..<end]),
            dictionary: UnsafeRawBufferPointer(rebasing: all[dictionaryStart..<start]),
            level: level, isLast: isLast && index == blockCount - 1))
      }
      return outputs.values
    }
    for result in results {
      switch result {
      case .success(let block):
        try next.write(block.compressed)
        crc = crc32_combine(crc, block.crc, off_t(block.length))
        totalInput += block.length
      case .failure(let error):
        throw .compressionFailed(path: path, reason: error.reason)
      case nil:
        throw .compressionFailed(path: path, reason: "a block was not compressed")
      }
    }
    // Keep the last 32 KiB as the next batch's dictionary.
    let keep = min(Self.dictionarySize, pending.count)
    pending.removeFirst(pending.count - keep)
    dictionaryCount = keep
  }

  struct CompressedBlock: Sendable {
    var compressed: [UInt8]
    var crc: uLong
    var length: Int
  }

  struct ZlibFailure: Error {
    var reason: String
  }

  /// Compresses one block as raw deflate, primed with `dictionary`.
  static func compressBlock(
    _ input: UnsafeRawBufferPointer, dictionary: UnsafeRawBufferPointer, level: Int32, isLast: Bool
  ) -> Result<CompressedBlock, ZlibFailure> {
    // zlib keeps a pointer back to the z_stream, so it must not move: allocate it.
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer { stream.deallocate() }
    // -15 window bits: raw deflate, no wrapper (the gzip header and trailer are written once).
    var status = deflateInit2_(
      stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
      Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
      return .failure(ZlibFailure(reason: "deflateInit2 returned \(status)"))
    }
    defer { deflateEnd(stream) }
    if !dictionary.isEmpty {
      status = deflateSetDictionary(
        stream, dictionary.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(dictionary.count))
      guard status == Z_OK else {
        return .failure(ZlibFailure(reason: "deflateSetDictionary returned \(status)"))
      }
    }
    // Room for the worst case plus the sync flush's empty stored block.
    var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(input.count))) + 64)
    var produced = 0
    stream.pointee.next_in = UnsafeMutablePointer(
      mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
    stream.pointee.avail_in = uInt(input.count)
    let flush = isLast ? Z_FINISH : Z_SYNC_FLUSH
    while true {
      if produced == output.count { output += [UInt8](repeating: 0, count: output.count) }
      status = output.withUnsafeMutableBytes { buffer in
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
        stream.pointee.avail_out = uInt(buffer.count - produced)
        let status = deflate(stream, flush)
        produced = buffer.count - Int(stream.pointee.avail_out)
        return status
      }
      guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
        return .failure(ZlibFailure(reason: "deflate returned \(status)"))
      }
      // Done when the input is consumed and, for the last block, the stream has ended; a sync flush
      // is complete when deflate left output space unused.
      if isLast
        ? status == Z_STREAM_END : (stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0)
      {
        break
      }
    }
    output.removeSubrange(produced...)
    let crc = crc32(
      0, input.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(input.count))
    return .success(CompressedBlock(compressed: output, crc: crc, length: input.count))
  }
}

/// The batch being compressed, read (never written) by the workers while `pending` stays put.
private struct SharedBytes: @unchecked Sendable {
  let buffer: UnsafeRawBufferPointer
}

/// The blocks' results, filled in by concurrent workers, each at its own index.
private final class BlockResults: @unchecked Sendable {
  private var storage: [Result<GzipCompressor.CompressedBlock, GzipCompressor.ZlibFailure>?]
  private let lock = NSLock()

  init(count: Int) { storage = Array(repeating: nil, count: count) }

  func set(
    _ index: Int, _ value: Result<GzipCompressor.CompressedBlock, GzipCompressor.ZlibFailure>
  ) {
    lock.withLock { storage[index] = value }
  }

  var values: [Result<GzipCompressor.CompressedBlock, GzipCompressor.ZlibFailure>?] {
    lock.withLock { storage }
  }
}
