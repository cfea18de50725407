import OCI

/// What a push is doing, for a progress display: the blobs it will handle, bytes as they are
/// sent, each blob's outcome, and each tag.
public enum PushEvent: Sendable {
  /// The push begins with these blobs (config and layers, each once).
  case started(blobs: [Descriptor])
  /// `bytesSent` of the blob have been sent so far. Reported often, from the transfer thread:
  /// a handler must be quick.
  case blobProgress(Digest, bytesSent: Int)
  /// The blob is in the repository now, and how it got there.
  case blobFinished(Descriptor, BlobTransfer)
  /// The manifest was put under a tag.
  case tagged(tag: String, manifest: Digest)
}
