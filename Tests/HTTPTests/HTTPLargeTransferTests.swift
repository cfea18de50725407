import Foundation
import HTTP
import Synchronization
import TestSupport
import Testing

/// Large bodies through a real nginx, streamed from and to files: more than a GiB each way with
/// the process's resident memory flat, and a smaller round trip whose content is checked.
@Suite(.serialized) struct HTTPLargeTransferTests {
  /// 1 GiB and a bit, so that no 32-bit length or power-of-two buffer boundary hides a bug.
  static let length: Int64 = (1 << 30) + 4097
  /// Offsets where the sparse file holds distinct markers; the rest reads as zeros.
  static func markerOffsets(_ length: Int64) -> [Int64] {
    [0, 65_535, length / 2 + 1, length - 4099, length - 8]
  }

  /// A sparse file of `length` bytes with markers, created instantly without writing a GiB.
  static func makeSparseFile(at path: String, length: Int64 = length) throws {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(length))
    for offset in markerOffsets(length) {
      try handle.seek(toOffset: UInt64(offset))
      try handle.write(contentsOf: marker(at: offset))
    }
  }

  static func marker(at offset: Int64) -> Data { Data("@\(offset)!".utf8.prefix(8)) }

  static func expectMarkers(in path: String, length: Int64) throws {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.size] as? NSNumber)?.int64Value == length)
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    for offset in markerOffsets(length) {
      try handle.seek(toOffset: UInt64(offset))
      let expected = marker(at: offset)
      #expect(try handle.read(upToCount: expected.count) == expected, "marker at \(offset)")
    }
  }

  @Test func moreThanAGibibyteStreamsBothWaysWithFlatMemory() async throws {
    let nginx = try await NginxServer()
    let served = "\(nginx.documentRoot)/large.bin"
    try Self.makeSparseFile(at: served)
    let client = HTTPClient()
    let received = Mutex<Int64>(0)

    ProcessMemory.resetPeak()
    let baseline = ProcessMemory.residentBytes()

    // Into /dev/null through the file sink: a GiB on disk would measure the disk, not the
    // client. Content integrity of file streaming is checked on smaller bodies elsewhere.
    let download = try await client.execute(
      HTTPRequest(url: nginx.url("/large.bin")), to: .file(path: "/dev/null"),
      progress: { progress in received.withLock { $0 = progress.bytesReceived } })
    #expect(download.status == 200)
    #expect(download.headers["Content-Length"] == String(Self.length))
    #expect(received.withLock { $0 } == Self.length)

    let sent = Mutex<Int64>(0)
    let upload = try await client.execute(
      HTTPRequest(method: .put, url: nginx.url("/discard"), body: .file(path: served)),
      progress: { progress in sent.withLock { $0 = progress.bytesSent } })
    #expect(upload.status == 204)
    #expect(sent.withLock { $0 } == Self.length)

    let growth = ProcessMemory.peakResidentBytes() - baseline
    // Holding the body would add a GiB; streaming adds curl's buffers and little else. The
    // margin covers tests running in parallel in this process (a few MiB of bodies each).
    #expect(growth < 100 << 20, "peak resident memory grew by \(growth >> 20) MiB")
  }

  @Test func largeFileRoundTripKeepsItsContent() async throws {
    // 64 MiB through real files both ways, markers checked at the far end.
    let nginx = try await NginxServer()
    let local = try TemporaryDirectory()
    let source = local.file("source.bin").path
    try Self.makeSparseFile(at: source, length: 64 << 20)
    let client = HTTPClient()
    let upload = try await client.send(.file(path: source), to: nginx.url("/uploads/copy.bin"))
    #expect(upload.status == 201)
    try Self.expectMarkers(in: "\(nginx.uploadsDirectory)/copy.bin", length: 64 << 20)
    let downloaded = local.file("downloaded.bin").path
    let download = try await client.download(nginx.url("/uploads/copy.bin"), to: downloaded)
    #expect(download.status == 200)
    try Self.expectMarkers(in: downloaded, length: 64 << 20)
  }
}
