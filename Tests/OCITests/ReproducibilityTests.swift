import Foundation
import OCI
import TestSupport
import Testing

/// The same inputs give the same digests, byte for byte; the commit time changes only the config.
@Suite struct ReproducibilityTests {
  @Test func buildingTwiceGivesTheSameDigests() async throws {
    let product = try await Fixtures.hello()
    let directory = try TemporaryDirectory(prefix: "oci-repro")
    let first = try await ImageAssembler.assemble(
      try Fixtures.request(product, layout: directory.file("first").path))
    let second = try await ImageAssembler.assemble(
      try Fixtures.request(product, layout: directory.file("second").path))
    #expect(first.manifest == second.manifest)
    #expect(first.config == second.config)
    #expect(first.layers == second.layers)
    // Byte for byte: every blob of the two layouts is the same set of files.
    let blobs = { (name: String) in
      try FileManager.default.contentsOfDirectory(
        atPath: directory.file(name).path + "/blobs/sha256"
      )
      .sorted()
    }
    #expect(try blobs("first") == blobs("second"))
    #expect(
      try Data(contentsOf: directory.file("first/index.json"))
        == Data(contentsOf: directory.file("second/index.json")))
  }

  @Test func anotherCommitTimeChangesTheConfigButNotTheLayers() async throws {
    let product = try await Fixtures.hello()
    let directory = try TemporaryDirectory(prefix: "oci-repro")
    let first = try await ImageAssembler.assemble(
      try Fixtures.request(product, layout: directory.file("first").path))
    let later = try await ImageAssembler.assemble(
      try Fixtures.request(
        product, layout: directory.file("later").path, creationTime: 1_700_000_001))
    #expect(first.config.digest != later.config.digest)
    #expect(first.manifest.digest != later.manifest.digest)
    #expect(first.layers == later.layers)
  }

  @Test func anotherExecutableChangesTheApplicationLayerOnly() async throws {
    let product = try await Fixtures.hello()
    let directory = try TemporaryDirectory(prefix: "oci-repro")
    var changed = product
    changed.executable = directory.file("oci-hello").path
    var bytes = try Data(contentsOf: URL(fileURLWithPath: product.executable))
    bytes.append(0)
    try bytes.write(to: directory.file("oci-hello"))
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: changed.executable)
    let first = try await ImageAssembler.assemble(
      try Fixtures.request(product, layout: directory.file("first").path))
    let other = try await ImageAssembler.assemble(
      try Fixtures.request(changed, layout: directory.file("other").path))
    #expect(first.layers[0] == other.layers[0])
    #expect(first.layers[1].diffID != other.layers[1].diffID)
    #expect(first.manifest.digest != other.manifest.digest)
  }
}
