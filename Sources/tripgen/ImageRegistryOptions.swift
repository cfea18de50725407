import ArgumentParser
import Foundation
import OCI
import Registry

/// The options of commands that push to a registry, and the push they share.
struct ImageRegistryOptions: ParsableArguments {
  @Option(
    name: .customLong("tag"), help: "Another tag to push the same manifest under (repeatable).")
  var extraTags: [String] = []

  @Option(
    name: .customLong("insecure-registry"),
    help:
      "A registry (host or host:port) to reach over plain HTTP (repeatable); localhost and 127.0.0.0/8 always are."
  )
  var insecureRegistries: [String] = []

  @Option(
    name: .customLong("mount-from"),
    help:
      "A repository of the same registry that may hold the blobs already: mounted, not uploaded (repeatable)."
  )
  var mountSources: [String] = []

  @Option(help: "Blobs larger than this many bytes are uploaded in chunks of this size.")
  var chunkSize: Int = 16 << 20

  @Option(help: "Blob uploads in flight at once.")
  var parallelUploads: Int = 3

  func validate() throws {
    guard chunkSize >= 1 << 10 else { throw ValidationError("--chunk-size: at least 1024 bytes") }
    guard (1...16).contains(parallelUploads) else {
      throw ValidationError("--parallel-uploads: between 1 and 16")
    }
    for tag in extraTags {
      do { try ImageReference.validateTag(tag) } catch {
        throw ValidationError("--tag \(tag): \(error)")
      }
    }
  }

  /// Pushes `source` to `destination` (its tag, then the `--tag`s), with the authentication of
  /// `client(for:progress:)`; `extraMountSources` are tried for mounts after `--mount-from`.
  func push(
    _ source: LayoutReference, to destination: RegistryReference,
    extraMountSources: [String] = [], extraTags moreTags: [String] = [],
    progress: @escaping @Sendable (String) -> Void,
    events: (@Sendable (PushEvent) -> Void)? = nil
  ) async throws -> PushReport {
    guard destination.digest == nil else {
      throw ValidationError(
        "\(destination): push to a tag, not a digest (the digest is the manifest's)")
    }
    let client = try await client(for: destination.registry, progress: progress)
    var sources = mountSources
    for source in extraMountSources where !sources.contains(source) { sources.append(source) }
    let pusher = ImagePusher(
      client: client, parallelUploads: parallelUploads, mountSources: sources)
    var tags = [destination.tag ?? "latest"]
    for tag in extraTags + moreTags where !tags.contains(tag) { tags.append(tag) }
    progress(
      "pushing \(source) to \(destination.registry)/\(destination.repository) as "
        + tags.joined(separator: ", "))
    return try await pusher.push(
      source, to: destination.repository, tags: tags, progress: progress, events: events)
  }

  /// A client of `registry` with the authentication the environment and `~/.docker/config.json`
  /// give for it (see `RegistryCredentialStore`); says which kind it uses, never the secret.
  func client(for registry: String, progress: @Sendable (String) -> Void) async throws
    -> RegistryClient
  {
    let authentication = try await RegistryCredentialStore.authentication(for: registry)
    progress("registry \(registry): \(authentication)")
    return RegistryClient(
      registry: registry,
      configuration: RegistryClientConfiguration(
        authentication: authentication, insecureHosts: Set(insecureRegistries),
        chunkSize: chunkSize))
  }
}
