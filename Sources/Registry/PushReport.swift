/// What a push did: the manifest digest, the tags it now carries, and each blob's fate.
public struct PushReport: Sendable, Codable, Equatable {
  public struct Blob: Sendable, Codable, Equatable {
    public var digest: String
    public var mediaType: String
    public var size: Int
    public var transfer: BlobTransfer
  }

  /// `registry/repository`.
  public var repository: String
  public var manifestDigest: String
  public var manifestMediaType: String
  /// Every tag pushed, the reference's first.
  public var tags: [String]
  public var blobs: [Blob]

  /// The blobs that were sent (whole or in chunks).
  public var uploadedBlobs: [Blob] {
    blobs.filter { $0.transfer == .uploaded || $0.transfer == .uploadedInChunks }
  }
}
