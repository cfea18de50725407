import Foundation
import TestSupport
import Testing

@testable import OCI

/// Layers checked with GNU tar, gzip and sha256sum: the format details, digests and reproducibility.
@Suite struct LayerWriterTests {
  static let longPath =
    "/opt/" + String(repeating: "directory-with-a-long-name/", count: 5) + "file-at-the-end.txt"

  /// A layer with everything the format has to get right: a long path (PAX), links, modes, an owner.
  static func entries(source: String) -> [LayerEntry] {
    [
      .text("/etc/hostname", "image\n"),
      .file("/usr/bin/tool", from: source, mode: 0o755),
      .symlink("/bin", to: "usr/bin"),
      .symlink("/etc/long-link", to: longPath),
      .directory("/tmp", mode: 0o1777),
      .text(longPath, "long\n", mode: 0o600),
      LayerEntry(path: "/home/nonroot", kind: .directory, mode: 0o700, uid: 65532, gid: 65532),
    ]
  }

  static func writeLayer(in directory: TemporaryDirectory, name: String = "layout") throws -> (
    ImageLayout, Layer
  ) {
    let source = directory.file("tool").path
    if !FileManager.default.fileExists(atPath: source) {
      try Data((0..<5_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7 / 5) }).write(
        to: URL(fileURLWithPath: source))
    }
    let layout = try ImageLayout.create(at: directory.file(name).path)
    let layer = try LayerWriter.write(entries(source: source), modificationTime: 0, into: layout)
    return (layout, layer)
  }

  @Test func digestsMatchSha256sumOfTheBlobAndOfTheTar() throws {
    let directory = try TemporaryDirectory(prefix: "oci-layer")
    let (layout, layer) = try Self.writeLayer(in: directory)
    let blob = layout.blobPath(layer.descriptor.digest)
    try Command.check(["gzip", "-t", blob])
    let compressed = try Command.check(["sha256sum", blob]).standardOutput
    #expect(compressed.hasPrefix(layer.descriptor.digest.hex))
    let uncompressed = try Command.check(["sh", "-c", "gzip -dc '\(blob)' | sha256sum"])
    #expect(uncompressed.standardOutput.hasPrefix(layer.diffID.hex))
    let size = try FileManager.default.attributesOfItem(atPath: blob)[.size] as? Int
    #expect(size == layer.descriptor.size)
    let tarSize = try Command.check(["sh", "-c", "gzip -dc '\(blob)' | wc -c"])
    #expect(
      Int(tarSize.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        == layer.uncompressedSize)
    // The gzip header: magic, deflate, no flags (no name), mtime 0, OS 255.
    let header = [UInt8](try Data(contentsOf: URL(fileURLWithPath: blob)).prefix(10))
    #expect(header[0..<4] == [0x1f, 0x8b, 8, 0])
    #expect(header[4..<8] == [0, 0, 0, 0])
    #expect(header[9] == 255)
  }

  @Test func tarListsFixedTimesOwnersModesAndParentsFirst() throws {
    let directory = try TemporaryDirectory(prefix: "oci-layer")
    let (layout, layer) = try Self.writeLayer(in: directory)
    let listing = try Command.check(
      ["tar", "--full-time", "--numeric-owner", "-tzvf", layout.blobPath(layer.descriptor.digest)],
      environment: ["TZ": "UTC"]
    ).standardOutput.split(separator: "\n").map(String.init)
    let names = listing.map { line in
      String(line.split(separator: " ", omittingEmptySubsequences: true)[5])
    }
    let longName = String(Self.longPath.dropFirst())
    #expect(
      names == [
        "bin", "etc/", "etc/hostname", "etc/long-link", "home/", "home/nonroot/", "opt/",
      ] + (1...5).map { "opt/" + String(repeating: "directory-with-a-long-name/", count: $0) }
        + [longName, "tmp/", "usr/", "usr/bin/", "usr/bin/tool"])
    for line in listing {
      #expect(line.contains(" 1970-01-01 00:00:00 "), "\(line)")
      if line.contains("home/nonroot") {
        #expect(line.contains(" 65532/65532 "), "\(line)")
      } else {
        #expect(line.contains(" 0/0 "), "\(line)")
      }
    }
    let modes = Dictionary(
      uniqueKeysWithValues: zip(names, listing.map { String($0.prefix(10)) }))
    #expect(modes["tmp/"] == "drwxrwxrwt")
    #expect(modes["usr/bin/tool"] == "-rwxr-xr-x")
    #expect(modes[longName] == "-rw-------")
    #expect(modes["bin"] == "lrwxrwxrwx")
    #expect(listing.first?.hasSuffix("bin -> usr/bin") == true)
  }

  @Test func extractedContentMatchesTheSources() throws {
    let directory = try TemporaryDirectory(prefix: "oci-layer")
    let (layout, layer) = try Self.writeLayer(in: directory)
    let root = directory.file("root")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try Command.check(["tar", "-xzf", layout.blobPath(layer.descriptor.digest), "-C", root.path])
    #expect(
      try Data(contentsOf: root.appendingPathComponent("usr/bin/tool"))
        == Data(contentsOf: directory.file("tool")))
    #expect(
      try String(contentsOf: root.appendingPathComponent(Self.longPath), encoding: .utf8)
        == "long\n")
    #expect(
      try FileManager.default.destinationOfSymbolicLink(
        atPath: root.appendingPathComponent("etc/long-link").path) == Self.longPath)
  }

  @Test func theSameEntriesGiveTheSameBytesAndOtherContentOtherDigests() throws {
    let directory = try TemporaryDirectory(prefix: "oci-layer")
    let (_, first) = try Self.writeLayer(in: directory, name: "first")
    let (_, second) = try Self.writeLayer(in: directory, name: "second")
    #expect(first == second)
    let layout = try ImageLayout.create(at: directory.file("third").path)
    var changed = Self.entries(source: directory.file("tool").path)
    changed[0] = .text("/etc/hostname", "other\n")
    let third = try LayerWriter.write(changed, modificationTime: 0, into: layout)
    #expect(third.descriptor.digest != first.descriptor.digest)
    #expect(third.diffID != first.diffID)
  }

  @Test func pathsThatEscapeTheRootAreRejected() throws {
    let directory = try TemporaryDirectory(prefix: "oci-layer")
    let layout = try ImageLayout.create(at: directory.path)
    #expect(
      throws: OCIError.invalidLayerPath(
        "/app/../../etc", reason: "'..' could escape the image root")
    ) {
      _ = try LayerWriter.write([.text("/app/../../etc", "x")], modificationTime: 0, into: layout)
    }
  }
}
