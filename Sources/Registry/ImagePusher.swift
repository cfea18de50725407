import Foundation
import OCI

/// Pushes a tagged image of an OCI layout to a registry repository: the blobs the repository
/// lacks (in parallel, a few at a time; mounted from a sibling repository when one is named),
/// then the manifest with its exact bytes under every tag.
public struct ImagePusher: Sendable {
  public let client: RegistryClient
  /// Blob uploads in flight at once.
  public var parallelUploads: Int
  /// Repositories of the same registry that may already hold the blobs, tried with a
  /// cross-repository mount before uploading.
  public var mountSources: [String]

  public init(client: RegistryClient, parallelUploads: Int = 3, mountSources: [String] = []) {
    self.client = client
    self.parallelUploads = max(1, parallelUploads)
    self.mountSources = mountSources
  }

  /// Pushes `source` to `repository` under `tags` (at least one). `progress` hears a line per
  /// blob and tag; `events` the same as values, and bytes as they are sent.
  public func push(
    _ source: LayoutReference, to repository: String, tags: [String],
    progress: @escaping @Sendable (String) -> Void = { _ in },
    events: (@Sendable (PushEvent) -> Void)? = nil
  ) async throws(RegistryError) -> PushReport {
    let image = try Self.read(source)
    for tag in tags {
      do { try ImageReference.validateTag(tag) } catch {
        throw .invalidImage(reference: source.description, reason: error.description)
      }
    }
    try await client.ping()
    let blobs = image.blobs
    events?(.started(blobs: blobs))
    let outcomes = try await transferBlobs(
      blobs, layout: image.layout, repository: repository, progress: progress, events: events)
    for tag in tags {
      try await client.putManifest(
        image.manifestBytes, mediaType: image.manifest.mediaType, digest: image.manifest.digest,
        repository: repository, tag: tag)
      progress("tagged \(client.registry)/\(repository):\(tag) \(image.manifest.digest)")
      events?(.tagged(tag: tag, manifest: image.manifest.digest))
    }
    return PushReport(
      repository: "\(client.registry)/\(repository)",
      manifestDigest: image.manifest.digest.description,
      manifestMediaType: image.manifest.mediaType, tags: tags,
      blobs: blobs.map {
        PushReport.Blob(
          digest: $0.digest.description, mediaType: $0.mediaType, size: $0.size,
          transfer: outcomes[$0.digest] ?? .present)
      })
  }

  private func transferBlobs(
    _ blobs: [Descriptor], layout: ImageLayout, repository: String,
    progress: @escaping @Sendable (String) -> Void, events: (@Sendable (PushEvent) -> Void)?
  ) async throws(RegistryError) -> [Digest: BlobTransfer] {
    let client = client
    let mountSources = mountSources
    do {
      return try await withThrowingTaskGroup(of: (Digest, BlobTransfer).self) { group in
        var results: [Digest: BlobTransfer] = [:]
        var pending = blobs[...]
        func startNext() {
          guard let blob = pending.popFirst() else { return }
          group.addTask {
            let transfer = try await Self.transfer(
              blob, layout: layout, repository: repository, client: client,
              mountSources: mountSources,
              sent: Self.progressReporter(events, for: blob.digest))
            let short = blob.digest.hex.prefix(12)
            progress("blob \(short) (\(blob.size) bytes): \(transfer.rawValue)")
            events?(.blobFinished(blob, transfer))
            return (blob.digest, transfer)
          }
        }
        for _ in 0..<parallelUploads { startNext() }
        while let (digest, transfer) = try await group.next() {
          results[digest] = transfer
          startNext()
        }
        return results
      }
    } catch let error as RegistryError {
      throw error
    } catch {
      throw .transfer(
        operation: "pushing blobs to \(repository)", cause: .cancelled(url: repository))
    }
  }

  private static func progressReporter(
    _ events: (@Sendable (PushEvent) -> Void)?, for digest: Digest
  ) -> (@Sendable (Int) -> Void)? {
    guard let events else { return nil }
    return { sent in events(.blobProgress(digest, bytesSent: sent)) }
  }

  private static func transfer(
    _ blob: Descriptor, layout: ImageLayout, repository: String, client: RegistryClient,
    mountSources: [String], sent: (@Sendable (Int) -> Void)?
  ) async throws(RegistryError) -> BlobTransfer {
    if try await client.blobExists(blob.digest, in: repository) { return .present }
    for source in mountSources where source != repository {
      if try await client.mountBlob(blob.digest, from: source, into: repository) {
        return .mounted
      }
    }
    return try await client.uploadBlob(
      blob.digest, size: blob.size, fromFile: layout.blobPath(blob.digest), to: repository,
      progress: sent)
  }

  struct LayoutImage {
    var layout: ImageLayout
    var manifest: Descriptor
    var manifestBytes: Data
    var blobs: [Descriptor]
  }

  /// The tagged manifest's exact bytes and the blobs it names, each checked to be in the layout.
  static func read(_ source: LayoutReference) throws(RegistryError) -> LayoutImage {
    do {
      let layout = try ImageLayout.open(at: source.path)
      var descriptor = try layout.manifestDescriptor(tag: source.tag)
      descriptor.annotations = nil
      let bytes = try layout.readBlob(descriptor.digest)
      let manifest: ImageManifest
      do {
        manifest = try JSONDecoder().decode(ImageManifest.self, from: Data(bytes))
      } catch {
        throw RegistryError.invalidImage(
          reference: source.description,
          reason: "its manifest \(descriptor.digest) is not an image manifest: \(error)")
      }
      var seen: Set<Digest> = []
      var blobs: [Descriptor] = []
      for blob in [manifest.config] + manifest.layers where seen.insert(blob.digest).inserted {
        guard layout.hasBlob(blob.digest) else {
          throw OCIError.blobMissing(layout: source.path, digest: blob.digest)
        }
        blobs.append(blob)
      }
      return LayoutImage(
        layout: layout, manifest: descriptor, manifestBytes: Data(bytes), blobs: blobs)
    } catch let error as RegistryError {
      throw error
    } catch {
      throw .invalidImage(reference: source.description, reason: "\(error)")
    }
  }
}
