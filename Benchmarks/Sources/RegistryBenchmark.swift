import ArgumentParser
import Foundation
import OCI
import Registry
import TestSupport

/// `tripgen-bench registry`: pushes a several-layer image from an OCI layout to a real registry
/// (docker-registry on loopback, htpasswd auth) and, in the same run, copies the same layout with
/// `skopeo copy oci:... docker://...`, each to a fresh registry (a fresh repository is not enough:
/// skopeo's blob-info cache remembers where it saw each blob and mounts it from there); then times
/// a push where every blob is already present (the target is under 100 ms).
struct RegistryBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "registry",
    abstract: "Image push time against skopeo copy, to a local docker-registry.")

  @Option(help: "Layers in the image.")
  var layers = 4

  @Option(help: "Size of each layer, in MiB.")
  var layerMebibytes = 50

  @Option(help: "Timed runs of each measurement; the best is reported.")
  var runs = 3

  func run() async throws {
    var registry = try RegistryServer()
    defer { registry.stop() }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("tripgen-bench-registry-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let layoutPath = directory.appendingPathComponent("layout").path
    let layout = try ImageLayout.create(at: layoutPath)
    var descriptors: [Descriptor] = []
    for _ in 0..<layers {
      // Random bytes stored as an uncompressed layer: the push moves them as they are.
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
      let data = try handle.read(upToCount: layerMebibytes << 20) ?? Data()
      try handle.close()
      descriptors.append(try layout.writeBlob([UInt8](data), mediaType: MediaType.layerTar))
    }
    let configuration = ImageConfiguration(
      created: "2026-01-01T00:00:00Z", platform: .host, config: RuntimeConfiguration(),
      diffIDs: descriptors.map(\.digest))
    let config = try layout.writeBlob(
      try CanonicalJSON.encode(configuration), mediaType: MediaType.imageConfig)
    let manifest = try layout.writeBlob(
      try CanonicalJSON.encode(ImageManifest(config: config, layers: descriptors)),
      mediaType: MediaType.imageManifest)
    try layout.tag(manifest, as: "v1")
    let source = try LayoutReference(path: layoutPath, tag: "v1")
    let total = descriptors.reduce(0) { $0 + $1.size }

    func pusher() -> ImagePusher {
      ImagePusher(
        client: RegistryClient(
          registry: registry.host,
          configuration: RegistryClientConfiguration(
            credentials: RegistryCredentials(
              username: registry.username, password: registry.password))))
    }
    var tripgenBest = Double.infinity
    var skopeoBest = Double.infinity
    for run in 0..<runs {
      registry.stop()
      registry = try RegistryServer()
      let pusher = pusher()
      let ours = try await Measurement.secondsAsync {
        _ = try await pusher.push(source, to: "bench/tripgen-\(run)", tags: ["v1"])
      }
      tripgenBest = min(tripgenBest, ours)
      registry.stop()
      registry = try RegistryServer()
      let reference = try Measurement.run([
        "skopeo", "copy", "--quiet", "--dest-tls-verify=false",
        "--dest-creds", "\(registry.username):\(registry.password)",
        "oci:\(layoutPath):v1", "docker://\(registry.host)/bench/skopeo-\(run):v1",
      ]).seconds
      skopeoBest = min(skopeoBest, reference)
    }
    // Everything present: a fresh client each time (so the figure includes the first /v2/ ping
    // and authentication), same repository.
    let pusherForFill = pusher()
    _ = try await pusherForFill.push(source, to: "bench/tripgen-0", tags: ["v1"])
    var presentBest = Double.infinity
    var skopeoPresentBest = Double.infinity
    for _ in 0..<max(runs, 5) {
      let pusher = pusher()
      presentBest = min(
        presentBest,
        try await Measurement.secondsAsync {
          _ = try await pusher.push(source, to: "bench/tripgen-0", tags: ["v1"])
        })
      skopeoPresentBest = min(
        skopeoPresentBest,
        try Measurement.run([
          "skopeo", "copy", "--quiet", "--dest-tls-verify=false",
          "--dest-creds", "\(registry.username):\(registry.password)",
          "oci:\(layoutPath):v1", "docker://\(registry.host)/bench/skopeo-0:v1",
        ]).seconds)
    }
    let mib = Double(total) / Double(1 << 20)
    print(
      """
      registry push: \(layers) layers, \(formatBytes(total)) in all, best of \(runs)
        tripgen push     \(String(format: "%.2f", tripgenBest)) s (\(String(format: "%.0f", mib / tripgenBest)) MiB/s)
        skopeo copy      \(String(format: "%.2f", skopeoBest)) s (\(String(format: "%.0f", mib / skopeoBest)) MiB/s)
        ratio            \(String(format: "%.2f", tripgenBest / skopeoBest)) (tripgen / skopeo)
      everything present, best of \(max(runs, 5)):
        tripgen push     \(String(format: "%.1f", presentBest * 1000)) ms (target < 100 ms)
        skopeo copy      \(String(format: "%.1f", skopeoPresentBest * 1000)) ms
      """)
  }
}
