import Crypto

/// Passes bytes on unchanged while computing their SHA-256 and counting them: the diff id of the
/// uncompressed tar on one side of the compressor, the digest and size of the blob on the other.
final class HashingSink: ByteSink {
  private let next: (any ByteSink)?
  private var hasher = SHA256()
  private(set) var count = 0

  init(next: (any ByteSink)?) { self.next = next }

  func write(_ bytes: UnsafeRawBufferPointer) throws(OCIError) {
    hasher.update(bufferPointer: bytes)
    count += bytes.count
    try next?.write(bytes)
  }

  /// The digest of everything written so far.
  func digest() -> Digest { Digest(hasher.finalize()) }
}
