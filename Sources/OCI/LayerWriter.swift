/// Writes entries as a gzip-compressed tar layer into a layout's blob store, streaming: file contents
/// are read in 1 MiB pieces, hashed, compressed and written, never held whole in memory.
///
/// Reproducible by construction: entries sorted by path components (so parents come before children),
/// missing parent directories added with mode 0755, one modification time on every entry, fixed owner
/// names, and a fixed gzip header.
public enum LayerWriter {
  /// Writes the layer and returns its descriptor and diff id. Blocks: call it off the cooperative pool.
  /// - Parameters:
  ///   - modificationTime: seconds since 1970 stamped on every entry (the image's creation time, or 0).
  ///   - compressionLevel: zlib level 1...9.
  public static func write(
    _ entries: [LayerEntry], modificationTime: Int, compressionLevel: Int32 = 6,
    into layout: ImageLayout
  ) throws(OCIError) -> Layer {
    let ordered = try orderedEntries(entries)
    let temporaryPath = layout.temporaryBlobPath()
    var moved = false
    defer { if !moved { _ = temporaryPath.withCString { unlink($0) } } }
    let file = try FileSink(creating: temporaryPath)
    let compressed = HashingSink(next: file)
    let gzip = try GzipCompressor(level: compressionLevel, next: compressed, path: temporaryPath)
    let uncompressed = HashingSink(next: gzip)
    let tar = TarWriter(sink: uncompressed, modificationTime: modificationTime)
    for (name, entry) in ordered { try tar.write(entry, name: name) }
    try tar.finish()
    try gzip.finish()
    try file.close()
    let digest = compressed.digest()
    try layout.moveIntoPlace(temporaryPath, digest: digest)
    moved = true
    return Layer(
      descriptor: Descriptor(
        mediaType: MediaType.layerTarGzip, digest: digest, size: compressed.count),
      diffID: uncompressed.digest(), uncompressedSize: uncompressed.count)
  }

  /// The entries as tar names (relative, no leading `/`), with parents added and in the written order.
  /// A later entry for the same path replaces an earlier one.
  static func orderedEntries(_ entries: [LayerEntry]) throws(OCIError) -> [(String, LayerEntry)] {
    var byPath: [[Substring]: LayerEntry] = [:]
    for entry in entries {
      let components = try layerPathComponents(entry.path)
      byPath[components] = entry
      for depth in 1..<components.count {
        let parent = Array(components[0..<depth])
        if byPath[parent] == nil {
          byPath[parent] = .directory("/" + parent.joined(separator: "/"))
        }
      }
    }
    let sorted = byPath.keys.sorted { left, right in
      left.lexicographicallyPrecedes(right) {
        Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
      }
    }
    return sorted.map { ($0.joined(separator: "/"), byPath[$0]!) }
  }
}

#if canImport(Glibc)
  import Glibc
#endif
