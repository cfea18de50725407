import Foundation
import TestSupport
import Testing

@testable import Git

@Suite("Cancelling a fetch")
struct FetchCancellationTests {
  @Test func cancellingTheTaskStopsTheTransfer() async throws {
    let sample = try SampleRepository()
    // 64 MB of incompressible data: the transfer takes long enough to be cancelled in the middle.
    var generator = SystemRandomNumberGenerator()
    var words = [UInt64](repeating: 0, count: 8 * 1024 * 1024)
    for index in words.indices { words[index] = generator.next() }
    try sample.work.write("assets/big.bin", words.withUnsafeBytes { Data($0) })
    try sample.work.commitAll("Add a big file")
    try sample.work.push()
    let daemon = try GitDaemonServer(root: sample.servedRoot, logDirectory: sample.directory)
    defer { daemon.stop() }
    let url = daemon.url("sample.git")
    let mirror = try await GitRepository.mirror(of: url, in: sample.mirrorDirectory())

    let fetch = Task { try await mirror.fetch() }
    try await Task.sleep(for: .milliseconds(100))
    fetch.cancel()
    let result = await fetch.result
    #expect(throws: GitError.cancelled(operation: "fetching \(url)")) { try result.get() }
    #expect(try await mirror.references().isEmpty)
    // The mirror is still usable: an uncancelled fetch completes.
    _ = try await mirror.fetch()
    #expect(try await mirror.references()["refs/heads/main"] != nil)
  }
}
