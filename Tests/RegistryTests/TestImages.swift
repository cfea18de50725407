import Foundation
import OCI

/// Small images written into OCI layouts with the OCI module's writers, for pushing.
enum TestImages {
  /// Writes an image whose layers hold `layerSizes` bytes each (pseudo-random, so gzip keeps
  /// their size; `seed` makes images differ) into the layout at `path`, tagged `tag`.
  @discardableResult
  static func write(
    to path: String, tag: String = "v1", layerSizes: [Int] = [3000, 5000], seed: UInt64 = 1
  ) throws -> Descriptor {
    let layout = try ImageLayout.create(at: path)
    var layers: [Layer] = []
    for (number, size) in layerSizes.enumerated() {
      let entries: [LayerEntry] = [
        .directory("/data"),
        LayerEntry(
          path: "/data/file-\(number)",
          kind: .bytes(pseudoRandomBytes(count: size, seed: seed &* 31 &+ UInt64(number))),
          mode: 0o644),
      ]
      layers.append(
        try LayerWriter.write(entries, modificationTime: 0, compressionLevel: 1, into: layout))
    }
    let configuration = ImageConfiguration(
      created: "2026-01-01T00:00:00Z", platform: Platform(architecture: "amd64", os: "linux"),
      config: RuntimeConfiguration(
        user: "65532:65532", exposedPorts: nil, env: ["PATH=/usr/bin"], entrypoint: ["/data/x"],
        workingDir: "/data", labels: ["seed": "\(seed)"], stopSignal: nil),
      diffIDs: layers.map(\.diffID))
    let config = try layout.writeBlob(
      try CanonicalJSON.encode(configuration), mediaType: MediaType.imageConfig)
    let manifest = try layout.writeBlob(
      try CanonicalJSON.encode(ImageManifest(config: config, layers: layers.map(\.descriptor))),
      mediaType: MediaType.imageManifest)
    try layout.tag(manifest, as: tag)
    return manifest
  }

  /// Deterministic bytes that do not compress (xorshift64).
  static func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed | 1
    var bytes = [UInt8](repeating: 0, count: count)
    var index = 0
    while index < count {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      var word = state
      for _ in 0..<8 where index < count {
        bytes[index] = UInt8(truncatingIfNeeded: word)
        word >>= 8
        index += 1
      }
    }
    return bytes
  }
}
