import Blocking
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An OCI image layout directory: `oci-layout`, `index.json` and the blobs under `blobs/sha256/`.
/// Several tagged images share one layout and its blobs; `index.json` names each with the
/// `org.opencontainers.image.ref.name` annotation.
///
/// Blobs and `index.json` are written to a temporary file and renamed into place, so a reader never
/// sees a partial file. Two writers updating the same index at once are not coordinated (the last
/// rename wins); build into one layout from one process at a time.
public struct ImageLayout: Sendable {
  /// The layout directory.
  public let path: String

  static let layoutFileContent = #"{"imageLayoutVersion":"1.0.0"}"#

  /// Opens the layout at `path`, creating the directory, `oci-layout` and the blob store when missing.
  public static func create(at path: String) throws(OCIError) -> ImageLayout {
    let layout = ImageLayout(path: path)
    try layout.createDirectory(layout.blobDirectory)
    let marker = layout.path + "/oci-layout"
    if FileManager.default.fileExists(atPath: marker) {
      try layout.validateMarker()
    } else {
      try layout.writeAtomically(Array(layoutFileContent.utf8), to: marker)
    }
    return layout
  }

  /// Opens an existing layout for reading; fails when `path` is not one.
  public static func open(at path: String) throws(OCIError) -> ImageLayout {
    let layout = ImageLayout(path: path)
    try layout.validateMarker()
    return layout
  }

  private init(path: String) {
    self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
  }

  var blobDirectory: String { path + "/blobs/sha256" }

  /// Where the blob with `digest` is stored.
  public func blobPath(_ digest: Digest) -> String { blobDirectory + "/" + digest.hex }

  public func hasBlob(_ digest: Digest) -> Bool {
    FileManager.default.fileExists(atPath: blobPath(digest))
  }

  /// Stores `bytes` as a blob (if not already present) and returns its descriptor.
  @discardableResult
  public func writeBlob(_ bytes: [UInt8], mediaType: String) throws(OCIError) -> Descriptor {
    let digest = Digest(of: bytes)
    if !hasBlob(digest) { try writeAtomically(bytes, to: blobPath(digest)) }
    return Descriptor(mediaType: mediaType, digest: digest, size: bytes.count)
  }

  /// Reads a blob and checks that its content matches its digest.
  public func readBlob(_ digest: Digest) throws(OCIError) -> [UInt8] {
    guard hasBlob(digest) else { throw .blobMissing(layout: path, digest: digest) }
    let bytes = try readFile(blobPath(digest))
    let actual = Digest(of: bytes)
    guard actual == digest else {
      throw .blobDigestMismatch(path: blobPath(digest), expected: digest, actual: actual)
    }
    return bytes
  }

  /// Makes the blob `digest` of `source` present here too: a hard link when both are on one file
  /// system, else a copy.
  public func copyBlob(_ digest: Digest, from source: ImageLayout) throws(OCIError) {
    guard !hasBlob(digest) else { return }
    guard source.hasBlob(digest) else { throw .blobMissing(layout: source.path, digest: digest) }
    let target = blobPath(digest)
    if link(source.blobPath(digest), target) == 0 || errno == EEXIST { return }
    let temporary = temporaryBlobPath()
    do {
      try FileManager.default.copyItem(atPath: source.blobPath(digest), toPath: temporary)
    } catch {
      throw .fileSystem(
        path: temporary, operation: "copy \(source.blobPath(digest)) to", reason: "\(error)")
    }
    try moveIntoPlace(temporary, digest: digest)
  }

  /// The layout's index; empty when `index.json` does not exist yet.
  public func readIndex() throws(OCIError) -> ImageIndex {
    let indexPath = path + "/index.json"
    guard FileManager.default.fileExists(atPath: indexPath) else {
      return ImageIndex(manifests: [])
    }
    return try CanonicalJSON.decode(ImageIndex.self, from: try readFile(indexPath), path: indexPath)
  }

  /// The tags in `index.json`, in its order.
  public func tags() throws(OCIError) -> [String] {
    try readIndex().manifests.compactMap { $0.annotations?[referenceNameAnnotation] }
  }

  /// The manifest descriptor tagged `tag`.
  public func manifestDescriptor(tag: String) throws(OCIError) -> Descriptor {
    let index = try readIndex()
    guard
      let descriptor = index.manifests.first(where: {
        $0.annotations?[referenceNameAnnotation] == tag
      })
    else { throw .tagNotFound(layout: path, tag: tag, available: try tags()) }
    return descriptor
  }

  /// The digest of the manifest tagged `tag`, or nil when the layout has no such tag (or no
  /// `index.json` yet). Callers ask this before building an image whose source-addressed tag may
  /// already be there.
  public func manifestDigest(tag: String) throws(OCIError) -> Digest? {
    try readIndex().manifests.first { $0.annotations?[referenceNameAnnotation] == tag }?.digest
  }

  /// Points `tag` at `manifest` in `index.json`, replacing the tag's previous manifest (which keeps its
  /// place in the list) or adding it at the end. Other tags are left as they are.
  public func tag(_ manifest: Descriptor, as tag: String) throws(OCIError) {
    try ImageReference.validateTag(tag)
    var index = try readIndex()
    var tagged = manifest
    tagged.annotations = (manifest.annotations ?? [:]).merging([referenceNameAnnotation: tag]) {
      $1
    }
    if let position = index.manifests.firstIndex(where: {
      $0.annotations?[referenceNameAnnotation] == tag
    }) {
      index.manifests[position] = tagged
    } else {
      index.manifests.append(tagged)
    }
    try writeAtomically(try CanonicalJSON.encode(index), to: path + "/index.json")
  }

  /// Moves a fully written file (one of `temporaryBlobPath()`, so on the same file system) into
  /// place as the blob `digest`, after checking that its content has that digest; a file that
  /// does not is removed and reported. Blocking: the file is read once, in chunks.
  public func adoptBlob(at file: String, digest: Digest) throws(OCIError) {
    let actual: Digest
    do {
      actual = try Self.digest(ofFileAt: file)
    } catch {
      unlink(file)
      throw error
    }
    guard actual == digest else {
      unlink(file)
      throw .blobDigestMismatch(path: file, expected: digest, actual: actual)
    }
    try moveIntoPlace(file, digest: digest)
  }

  /// `adoptBlob(at:digest:)` on a thread of its own, for async callers.
  public func adoptBlob(at file: String, digest: Digest) async throws(OCIError) {
    try await offPool { () throws(OCIError) in try self.adoptBlob(at: file, digest: digest) }
  }

  /// The SHA-256 of a file's content, read in 1 MiB chunks.
  static func digest(ofFileAt file: String) throws(OCIError) -> Digest {
    guard let handle = FileHandle(forReadingAtPath: file) else {
      throw .fileSystem(path: file, operation: "open", reason: "it is missing or unreadable")
    }
    defer { try? handle.close() }
    let hasher = HashingSink(next: nil)
    while true {
      let chunk: Data
      do {
        chunk = try handle.read(upToCount: 1 << 20) ?? Data()
      } catch {
        throw .fileSystem(path: file, operation: "read", reason: "\(error)")
      }
      if chunk.isEmpty { break }
      try hasher.write([UInt8](chunk))
    }
    return hasher.digest()
  }

  /// A fresh path in the blob directory for a blob being written (same file system, so the final
  /// rename is atomic).
  public func temporaryBlobPath() -> String {
    blobDirectory + "/.tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
  }

  /// Renames a fully written temporary file to the blob name of `digest`.
  func moveIntoPlace(_ temporary: String, digest: Digest) throws(OCIError) {
    guard rename(temporary, blobPath(digest)) == 0 else {
      throw .fileSystem(
        path: blobPath(digest), operation: "rename \(temporary) to", reason: lastErrorText())
    }
  }

  private func validateMarker() throws(OCIError) {
    let marker = path + "/oci-layout"
    guard FileManager.default.fileExists(atPath: marker) else {
      throw .notAnImageLayout(path: path, reason: "it has no oci-layout file")
    }
    struct Marker: Decodable { var imageLayoutVersion: String }
    let version = try CanonicalJSON.decode(Marker.self, from: try readFile(marker), path: marker)
    guard version.imageLayoutVersion.hasPrefix("1.") else {
      throw .notAnImageLayout(
        path: path, reason: "imageLayoutVersion \(version.imageLayoutVersion) is not 1.x")
    }
  }

  private func createDirectory(_ directory: String) throws(OCIError) {
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw .fileSystem(path: directory, operation: "create the directory", reason: "\(error)")
    }
  }

  func readFile(_ file: String) throws(OCIError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw .fileSystem(path: file, operation: "read", reason: "it is missing or unreadable")
    }
    return [UInt8](data)
  }

  private func writeAtomically(_ bytes: [UInt8], to file: String) throws(OCIError) {
    let temporary = file + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    let sink = try FileSink(creating: temporary)
    do {
      try sink.write(bytes)
      try sink.close()
    } catch {
      unlink(temporary)
      throw error
    }
    guard rename(temporary, file) == 0 else {
      let reason = lastErrorText()
      unlink(temporary)
      throw .fileSystem(path: file, operation: "rename \(temporary) to", reason: reason)
    }
  }
}
