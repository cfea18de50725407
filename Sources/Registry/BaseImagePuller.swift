import Foundation
import HTTP
import OCI

/// Pulls an image from a registry into an OCI layout, so that it can serve as the base of a build
/// (`BaseImageSource.layout`). An index (OCI or Docker manifest list) is resolved to the wanted
/// platform; the platform manifest, config and layers are stored byte for byte, never rewritten,
/// so the built image reuses the base's layer digests and a push to the base's registry can mount
/// them instead of uploading.
///
/// The layout acts as a cache: blobs already in it are not downloaded again, and the image is
/// tagged `sha256-<hex of its manifest digest>`, which a later pull of the same digest finds.
public struct BaseImagePuller: Sendable {
  public let client: RegistryClient
  /// The platform an index is resolved to (the build machine's: linux/amd64 here).
  public var platform: Platform
  /// Layer downloads in flight at once.
  public var parallelDownloads: Int

  public init(client: RegistryClient, platform: Platform = .host, parallelDownloads: Int = 3) {
    self.client = client
    self.platform = platform
    self.parallelDownloads = max(1, parallelDownloads)
  }

  /// A pulled image: where it now is and what it was.
  public struct PulledImage: Sendable, Equatable {
    /// The image in the layout, tagged by its manifest digest.
    public var layout: LayoutReference
    /// The platform manifest's digest.
    public var manifestDigest: Digest
    /// The index's digest when the reference named an index.
    public var indexDigest: Digest?
    /// The layer blobs that were downloaded (the others were already in the layout).
    public var downloadedLayers: [Digest]
  }

  /// Pulls `reference` (a repository of this client's registry, by tag or digest) into the
  /// layout at `layoutPath`, created when missing.
  public func pull(
    _ reference: RegistryReference, into layoutPath: String,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) async throws(RegistryError) -> PulledImage {
    let repository = reference.repository
    let shown = reference.description
    let layout: ImageLayout
    do { layout = try ImageLayout.create(at: layoutPath) } catch {
      throw .invalidImage(reference: "oci:\(layoutPath)", reason: error.description)
    }
    var manifest = try await client.manifest(
      reference.digest?.description ?? reference.tag ?? "latest", in: repository)
    if let wanted = reference.digest, wanted != manifest.digest {
      throw .digestMismatch(
        url: "\(client.registry)/\(repository)@\(wanted)", expected: wanted.description,
        actual: manifest.digest.description)
    }
    var indexDigest: Digest?
    if Self.isIndex(manifest) {
      indexDigest = manifest.digest
      let chosen = try choosePlatform(in: manifest, reference: shown)
      progress("base \(shown): index \(manifest.digest) resolved to \(chosen) for \(platformName)")
      manifest = try await client.manifest(chosen.description, in: repository)
      guard manifest.digest == chosen else {
        throw .digestMismatch(
          url: "\(client.registry)/\(repository)@\(chosen)", expected: chosen.description,
          actual: manifest.digest.description)
      }
    }
    let image: ImageManifest
    do {
      image = try JSONDecoder().decode(ImageManifest.self, from: manifest.bytes)
    } catch {
      throw .invalidImage(
        reference: shown, reason: "its manifest is not an image manifest: \(error)")
    }
    let mediaType = image.mediaType ?? manifest.mediaType
    guard mediaType == MediaType.imageManifest || mediaType == MediaType.dockerManifest else {
      throw .invalidImage(
        reference: shown,
        reason: "its manifest has media type \(mediaType); a base must be an OCI or Docker "
          + "schema 2 image (or an index of them)")
    }

    if !layout.hasBlob(image.config.digest) {
      let config = try await client.blob(image.config.digest, in: repository)
      try store { () throws(OCIError) in
        _ = try layout.writeBlob([UInt8](config), mediaType: image.config.mediaType)
      }
    }
    let missing = image.layers.filter { !layout.hasBlob($0.digest) }
    try await download(missing, repository: repository, into: layout, progress: progress)
    let tag = "sha256-" + manifest.digest.hex
    try store { () throws(OCIError) in
      let stored = try layout.writeBlob([UInt8](manifest.bytes), mediaType: mediaType)
      try layout.tag(stored, as: tag)
    }
    progress(
      "base \(shown): \(image.layers.count) layers, \(missing.count) downloaded, "
        + "manifest \(manifest.digest)")
    do {
      return PulledImage(
        layout: try LayoutReference(path: layoutPath, tag: tag), manifestDigest: manifest.digest,
        indexDigest: indexDigest, downloadedLayers: missing.map(\.digest))
    } catch {
      throw .invalidImage(reference: shown, reason: error.description)
    }
  }

  private var platformName: String {
    "\(platform.os)/\(platform.architecture)" + (platform.variant.map { "/\($0)" } ?? "")
  }

  static func isIndex(_ manifest: RegistryManifest) -> Bool {
    if manifest.mediaType.hasPrefix(MediaType.imageIndex)
      || manifest.mediaType.hasPrefix(MediaType.dockerManifestList)
    {
      return true
    }
    // Some registries answer application/json: an index is what has `manifests`.
    let object = try? JSONSerialization.jsonObject(with: manifest.bytes) as? [String: Any]
    return object?["manifests"] != nil && object?["layers"] == nil
  }

  /// The digest of the index entry for `platform`: same OS and architecture, and the same
  /// variant when both name one.
  func choosePlatform(in manifest: RegistryManifest, reference: String) throws(RegistryError)
    -> Digest
  {
    let index: ImageIndex
    do {
      index = try JSONDecoder().decode(ImageIndex.self, from: manifest.bytes)
    } catch {
      throw .invalidImage(reference: reference, reason: "its index cannot be read: \(error)")
    }
    let match = index.manifests.first { entry in
      guard let candidate = entry.platform else { return false }
      return candidate.os == platform.os && candidate.architecture == platform.architecture
        && (platform.variant == nil || candidate.variant == nil
          || candidate.variant == platform.variant)
    }
    guard let match else {
      let available = index.manifests.compactMap(\.platform).map {
        "\($0.os)/\($0.architecture)" + ($0.variant.map { "/\($0)" } ?? "")
      }
      throw .invalidImage(
        reference: reference,
        reason: "its index has no \(platformName) image (it has: "
          + (available.isEmpty ? "no platforms" : available.joined(separator: ", ")) + ")")
    }
    return match.digest
  }

  /// Downloads the layers, a few at a time, each into a temporary file of the layout that is
  /// renamed to its digest once the content is checked.
  private func download(
    _ layers: [Descriptor], repository: String, into layout: ImageLayout,
    progress: @escaping @Sendable (String) -> Void
  ) async throws(RegistryError) {
    let client = client
    do {
      try await withThrowingTaskGroup(of: Void.self) { group in
        var pending = layers[...]
        func startNext() {
          guard let layer = pending.popFirst() else { return }
          group.addTask {
            try await client.downloadBlob(layer.digest, in: repository, into: layout)
            progress("base layer \(layer.digest.hex.prefix(12)) (\(layer.size) bytes): downloaded")
          }
        }
        for _ in 0..<parallelDownloads { startNext() }
        while try await group.next() != nil { startNext() }
      }
    } catch let error as RegistryError {
      throw error
    } catch {
      throw .transfer(
        operation: "pulling blobs from \(repository)", cause: .cancelled(url: repository))
    }
  }

  private func store(_ body: () throws(OCIError) -> Void) throws(RegistryError) {
    do { try body() } catch {
      throw .invalidImage(reference: "the base image cache", reason: error.description)
    }
  }
}

extension RegistryClient {
  /// `GET /v2/<repository>/blobs/<digest>` streamed into a file of `layout`, checked against the
  /// digest and then moved into place. A redirect to blob storage is followed (without our
  /// credentials, which curl keeps for the registry's host).
  public func downloadBlob(_ digest: Digest, in repository: String, into layout: ImageLayout)
    async throws(RegistryError)
  {
    let operation = "downloading blob \(digest) from \(repository)"
    let temporary = layout.temporaryBlobPath()
    let response: HTTPResponse
    do {
      response = try await send(
        HTTPRequest(method: .get, url: url("/v2/\(repository)/blobs/\(digest)")),
        scopes: [Self.pullScope(repository)], operation: operation, to: .file(path: temporary))
    } catch {
      unlink(temporary)
      throw error
    }
    guard response.status == 200 else {
      // The error body went to the file: read it back for the message.
      let body = FileManager.default.contents(atPath: temporary) ?? Data()
      unlink(temporary)
      var shown = response
      shown.body = body
      throw unexpected(shown, operation: operation, repository: repository, action: "pull")
    }
    do {
      try await layout.adoptBlob(at: temporary, digest: digest)
    } catch .blobDigestMismatch(_, _, let actual) {
      throw .digestMismatch(
        url: response.url.absoluteString, expected: digest.description,
        actual: actual.description)
    } catch {
      throw .invalidImage(reference: "oci:\(layout.path)", reason: error.description)
    }
  }
}
