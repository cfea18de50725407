import Foundation
import OCI
import Registry
import TestSupport
import Testing

/// Building on a base pulled from a real registry: an index resolved to this machine's platform,
/// its layers reused byte for byte, mounted (not uploaded) when pushing to the same registry, and
/// the result unpacked by umoci and run.
@Suite struct BasePullTests {
  let registry: RegistryServer
  let scratch: TemporaryDirectory

  init() throws {
    registry = try RegistryServer()
    scratch = try TemporaryDirectory(prefix: "base-pull")
  }

  var client: RegistryClient {
    RegistryClient(
      registry: registry.host,
      configuration: RegistryClientConfiguration(
        credentials: RegistryCredentials(username: registry.username, password: registry.password))
    )
  }

  /// A runnable base: the host runtime of /bin/echo (loader, libc) and /app/echo, pushed as
  /// `base/runtime:single`, plus an index `base/runtime:multi` whose linux/amd64 entry is that
  /// image and whose arm64 entry is another image.
  func pushBase() async throws -> (amd64: Descriptor, index: Digest) {
    let layout = scratch.path + "/base"
    let built = try await ImageAssembler.assemble(
      ImageRequest(
        product: "echo", executable: "/bin/echo",
        destination: LayoutReference(path: layout, tag: "v1"),
        creationTime: 1_700_000_000))
    let pusher = ImagePusher(client: client)
    _ = try await pusher.push(
      LayoutReference(path: layout, tag: "v1"), to: "base/runtime", tags: ["single"])
    let other = try TestImages.write(to: scratch.path + "/other", seed: 5)
    _ = try await pusher.push(
      LayoutReference(path: scratch.path + "/other", tag: "v1"), to: "base/runtime", tags: ["arm"])
    var arm = other
    arm.platform = Platform(architecture: "arm64", os: "linux", variant: "v8")
    var amd = built.manifest
    amd.platform = Platform(architecture: "amd64", os: "linux")
    let index = try CanonicalJSON.encode(ImageIndex(manifests: [arm, amd]))
    let indexDigest = Digest(of: index)
    try await client.putManifest(
      Data(index), mediaType: MediaType.imageIndex, digest: indexDigest,
      repository: "base/runtime", tag: "multi")
    return (built.manifest, indexDigest)
  }

  @Test func indexIsResolvedToAmd64AndCachedLayersAreNotDownloadedAgain() async throws {
    let (amd64, index) = try await pushBase()
    let cache = scratch.path + "/cache"
    let reference = try RegistryReference(parsing: "\(registry.host)/base/runtime:multi")
    let puller = BaseImagePuller(
      client: client, platform: Platform(architecture: "amd64", os: "linux"))
    let pulled = try await puller.pull(reference, into: cache)
    #expect(pulled.manifestDigest == amd64.digest)
    #expect(pulled.indexDigest == index)
    #expect(pulled.downloadedLayers.count == 2)
    // The manifest is stored byte for byte: skopeo sees the registry's digest in the cache.
    let inspected = try Command.check([
      "/usr/bin/skopeo", "inspect", "oci:\(cache):\(pulled.layout.tag)",
    ])
    #expect(inspected.standardOutput.contains(amd64.digest.description))

    let again = try await puller.pull(reference, into: cache)
    #expect(again.downloadedLayers.isEmpty)
    #expect(again.layout == pulled.layout)

    // By digest too; and a platform the index lacks is named with what it has.
    let byDigest = try await puller.pull(
      RegistryReference(parsing: "\(registry.host)/base/runtime@\(amd64.digest)"), into: cache)
    #expect(byDigest.manifestDigest == amd64.digest && byDigest.indexDigest == nil)
    let error = await #expect(throws: RegistryError.self) {
      try await BaseImagePuller(
        client: client, platform: Platform(architecture: "s390x", os: "linux")
      ).pull(reference, into: cache)
    }
    #expect(error?.description.contains("no linux/s390x image") == true)
    #expect(error?.description.contains("linux/arm64/v8, linux/amd64") == true)
  }

  @Test func imageBuiltOnAPulledBaseReusesItsLayersAndRuns() async throws {
    let (amd64, _) = try await pushBase()
    let pulled = try await BaseImagePuller(client: client).pull(
      RegistryReference(parsing: "\(registry.host)/base/runtime:multi"),
      into: scratch.path + "/cache")
    #expect(pulled.manifestDigest == amd64.digest)

    // The application: a script run by the base's /app/echo, so it only runs when the base's
    // layers (loader, libc, echo) are in the image.
    let script = scratch.path + "/greet"
    try Data("#!/app/echo hello from the pulled base\n".utf8).write(
      to: URL(fileURLWithPath: script))
    let layout = scratch.path + "/app"
    let built = try await ImageAssembler.assemble(
      ImageRequest(
        product: "greet", executable: script, base: .layout(pulled.layout),
        destination: LayoutReference(path: layout, tag: "v1"), creationTime: 1_700_000_000))
    let base = try BaseImage.read(pulled.layout)
    #expect(Array(built.layers.prefix(2)) == base.layers)
    #expect(built.layers.count == 3)

    // Pushed to the same registry, the base layers are mounted from the base's repository.
    let report = try await ImagePusher(client: client, mountSources: ["base/runtime"]).push(
      LayoutReference(path: layout, tag: "v1"), to: "team/greet", tags: ["v1"])
    let mounted = report.blobs.filter { $0.transfer == .mounted }.map(\.digest)
    #expect(Set(mounted) == Set(base.layers.map(\.descriptor.digest.description)))
    #expect(report.uploadedBlobs.count == 2)  // the application layer and the config

    // Copied back from the registry and unpacked, it runs.
    let copied = scratch.path + "/copied"
    try Command.check([
      "/usr/bin/skopeo", "copy", "--src-tls-verify=false",
      "--src-creds", "\(registry.username):\(registry.password)",
      "docker://\(registry.host)/team/greet:v1", "oci:\(copied):v1",
    ])
    let bundle = scratch.path + "/bundle"
    try Command.check(["umoci", "unpack", "--rootless", "--image", "\(copied):v1", bundle])
    guard getuid() == 0 else {
      print("skipping `chroot \(bundle)/rootfs /app/greet`: chroot needs root (CI runs as root)")
      return
    }
    let run = try Command.check(["chroot", bundle + "/rootfs", "/app/greet"])
    #expect(run.standardOutput == "hello from the pulled base /app/greet\n")
  }
}
