/// A layer written to a layout: its descriptor (digest and size of the gzip blob) and its diff id
/// (digest of the uncompressed tar, which the config lists).
public struct Layer: Hashable, Sendable {
  public var descriptor: Descriptor
  public var diffID: Digest
  /// Size of the uncompressed tar; nil for layers reused from a base, whose tar is not read.
  public var uncompressedSize: Int?

  public init(descriptor: Descriptor, diffID: Digest, uncompressedSize: Int? = nil) {
    self.descriptor = descriptor
    self.diffID = diffID
    self.uncompressedSize = uncompressedSize
  }
}
