import Foundation
import TestSupport
import Testing

@testable import OCI

/// The parallel block compressor's output, decompressed by gzip, at the sizes where blocks and
/// batches begin and end.
@Suite struct GzipCompressorTests {
  final class Collector: ByteSink {
    var bytes: [UInt8] = []
    func write(_ bytes: UnsafeRawBufferPointer) throws(OCIError) { self.bytes += bytes }
  }

  static func compress(_ input: [UInt8], level: Int32 = 6, pieceSize: Int = 100_000) throws
    -> [UInt8]
  {
    let collector = Collector()
    let gzip = try GzipCompressor(level: level, next: collector, path: "test")
    var offset = 0
    while offset < input.count {
      let end = min(offset + pieceSize, input.count)
      try gzip.write(Array(input[offset..<end]))
      offset = end
    }
    try gzip.finish()
    return collector.bytes
  }

  static func content(_ count: Int) -> [UInt8] {
    var state: UInt32 = 12345
    return (0..<count).map { index in
      state = state &* 1_103_515_245 &+ 12345
      // Half predictable, half noise: compressible, with matches across block boundaries.
      return index % 2 == 0
        ? UInt8(truncatingIfNeeded: index / 1000) : UInt8(truncatingIfNeeded: state >> 24)
    }
  }

  static let batch = GzipCompressor.blockSize * GzipCompressor.blocksPerBatch

  @Test(arguments: [
    0, 1, GzipCompressor.blockSize - 1, GzipCompressor.blockSize, GzipCompressor.blockSize + 1,
    batch, batch + 1, 2 * batch + 12_345,
  ])
  func gzipDecompressesTheInput(size: Int) throws {
    let input = Self.content(size)
    let compressed = try Self.compress(input)
    let directory = try TemporaryDirectory(prefix: "oci-gzip")
    let file = directory.file("blob.gz")
    try Data(compressed).write(to: file)
    try Command.check(["gzip", "-t", file.path])
    try Command.check(["sh", "-c", "gzip -dc '\(file.path)' > '\(directory.file("out").path)'"])
    #expect(try [UInt8](Data(contentsOf: directory.file("out"))) == input)
  }

  @Test func theOutputDoesNotDependOnHowTheInputArrives() throws {
    let input = Self.content(GzipCompressor.blockSize * 40 + 7)
    let whole = try Self.compress(input, pieceSize: input.count)
    #expect(try Self.compress(input, pieceSize: 4096) == whole)
    #expect(try Self.compress(input, pieceSize: 1_000_003) == whole)
  }

  @Test func primingEachBlockWithTheDictionaryKeepsTheRatioOfOneStream() throws {
    // 20 KB of noise repeated over ten blocks: one deflate stream stores the noise once and refers
    // back to it; blocks compressed without the 32 KiB before them would each store it again.
    var state: UInt64 = 42
    let noise = (0..<20_000).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1
      return UInt8(truncatingIfNeeded: state >> 33)
    }
    let input = Array(repeating: noise, count: 64).flatMap { $0 }
    let compressed = try Self.compress(input)
    let directory = try TemporaryDirectory(prefix: "oci-gzip")
    try Data(input).write(to: directory.file("input"))
    let reference = try Command.check(
      ["sh", "-c", "gzip -6 -n -c '\(directory.file("input").path)' | wc -c"])
    let referenceSize = Int(
      reference.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))!
    #expect(compressed.count < referenceSize + referenceSize / 20 + 1024)
    #expect(compressed.count < 3 * noise.count)
  }
}
