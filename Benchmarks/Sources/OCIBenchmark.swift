import ArgumentParser
import Foundation
import OCI

/// `tripgen-bench oci`: assembles an image from an already built ~50 MB executable into an OCI layout
/// (tar, gzip, both digests, config, manifest, index) and, in the same run, times the same files through
/// `tar | gzip` and through umoci (`umoci insert`, which also writes a gzip layer into an OCI layout).
struct OCIBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "oci",
    abstract:
      "Image assembly time against tar | gzip and umoci insert on the same ~50 MB executable.")

  @Option(help: "Size of the generated executable, in MB.")
  var megabytes = 50

  @Option(help: "Timed runs of each measurement; the best is reported.")
  var runs = 5

  @Option(help: "A real executable to package instead of generated content.")
  var executable: String?

  func run() async throws {
    let (megabytes, runs, executable) = (megabytes, runs, executable)
    let report = try await onOwnThread {
      try Self.measure(megabytes: megabytes, runs: runs, executable: executable)
    }
    print(report)
  }

  private static func measure(megabytes: Int, runs: Int, executable: String?) throws -> String {
    for tool in ["tar", "gzip", "umoci"] {
      guard (try? Measurement.run(["sh", "-c", "command -v \(tool)"])) != nil else {
        throw BenchmarkError.missingTool(tool, hint: "apt-get install -y \(tool)")
      }
    }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("tripgen-bench-oci-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = directory.appendingPathComponent("root/app")
    try FileManager.default.createDirectory(at: app, withIntermediateDirectories: true)
    let binary = app.appendingPathComponent("server").path
    if let executable {
      try FileManager.default.copyItem(atPath: executable, toPath: binary)
    } else {
      try ExecutableLikeContent.write(bytes: megabytes * 1_000_000, to: binary)
    }
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary)
    let size = try FileManager.default.attributesOfItem(atPath: binary)[.size] as! Int

    // A given executable is packaged from where it is (its RUNPATH may be relative to it); the
    // references read the copy, which has the same bytes.
    let packaged = executable ?? binary

    var layoutNumber = 0
    func nextLayout() -> String {
      layoutNumber += 1
      return directory.appendingPathComponent("layout-\(layoutNumber)").path
    }
    func assemble(base: BaseImageSource, level: Int32) throws -> (Double, BuiltImage) {
      let request = ImageRequest(
        product: "server", executable: packaged, base: base,
        destination: try LayoutReference(path: nextLayout(), tag: "bench"),
        creationTime: 1_700_000_000, compressionLevel: level)
      var image: BuiltImage?
      let seconds = try Measurement.seconds { image = try ImageAssembler.assembleBlocking(request) }
      return (seconds, image!)
    }
    let root = directory.appendingPathComponent("root").path
    let output = directory.appendingPathComponent("reference.tar.gz").path
    let tar = "tar -c --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C '\(root)' app"
    let tarGzip = ["sh", "-c", "\(tar) | gzip -6 -n > '\(output)'"]
    let tarGzipHashed = [
      "bash", "-c",
      "\(tar) | tee >(sha256sum >/dev/null) | gzip -6 -n | tee >(sha256sum >/dev/null) > '\(output)'",
    ]

    // The measurements take turns within each run, so that load from the rest of the machine falls on
    // all of them alike; each figure is the best of its runs.
    var best: [String: Double] = [:]
    func record(_ name: String, _ seconds: Double) {
      best[name] = min(best[name] ?? .infinity, seconds)
    }
    var images: [String: BuiltImage] = [:]
    var umociLayerSize = 0
    for _ in 0..<runs {
      for (name, base, level) in [
        ("scratch6", BaseImageSource.scratch, Int32(6)), ("host6", .hostRuntime, 6),
        ("scratch1", .scratch, 1),
      ] {
        let (seconds, image) = try assemble(base: base, level: level)
        record(name, seconds)
        images[name] = image
      }
      record("tarGzip", try Measurement.run(tarGzip).seconds)
      record("tarGzipHashed", try Measurement.run(tarGzipHashed).seconds)
      // umoci: an empty image prepared untimed, then `umoci insert` of the same directory timed.
      let layout = nextLayout()
      _ = try Measurement.run(["umoci", "init", "--layout", layout])
      _ = try Measurement.run(["umoci", "new", "--image", "\(layout):bench"])
      record(
        "umoci",
        try Measurement.run([
          "umoci", "insert", "--rootless", "--image", "\(layout):bench", app.path, "/app",
        ]).seconds)
      // The layer umoci wrote is the largest blob in its layout.
      let blobs = layout + "/blobs/sha256"
      umociLayerSize =
        try FileManager.default.contentsOfDirectory(atPath: blobs).map {
          try FileManager.default.attributesOfItem(atPath: blobs + "/" + $0)[.size] as! Int
        }.max() ?? 0
    }
    let peak = Measurement.peakResidentBytes()
    let referenceSize = try FileManager.default.attributesOfItem(atPath: output)[.size] as! Int
    let (scratchSeconds, hostSeconds, fastSeconds) = (
      best["scratch6"]!, best["host6"]!, best["scratch1"]!
    )
    let (tarGzipSeconds, tarGzipHash, umociSeconds) = (
      best["tarGzip"]!, best["tarGzipHashed"]!, best["umoci"]!
    )
    let (scratchImage, hostImage, fastImage) = (
      images["scratch6"]!, images["host6"]!, images["scratch1"]!
    )

    let megabytesText = String(format: "%.1f", Double(size) / 1_000_000)
    func line(_ name: String, _ seconds: Double, _ note: String = "") -> String {
      "  \(name.padding(toLength: 44, withPad: " ", startingAt: 0))"
        + String(format: "%7.3f s  %7.1f MB/s", seconds, Double(size) / 1_000_000 / seconds) + note
    }
    func compressed(_ image: BuiltImage) -> String {
      "  (layer \(formatBytes(image.layers.last!.descriptor.size)))"
    }
    return """
      OCI: one \(megabytesText) MB executable into an OCI layout (best of \(runs))
      \(line("tripgen, scratch base, gzip -6", scratchSeconds, compressed(scratchImage)))
      \(line("tripgen, host-runtime base, gzip -6", hostSeconds, "  (+ \(formatBytes(hostImage.layers[0].descriptor.size)) base layer)"))
      \(line("tripgen, scratch base, gzip -1", fastSeconds, compressed(fastImage)))
      \(line("tar | gzip -6 -n", tarGzipSeconds, "  (\(formatBytes(referenceSize)))"))
      \(line("tar | tee sha256sum | gzip -6 | tee sha256sum", tarGzipHash))
      \(line("umoci insert", umociSeconds, "  (layer \(formatBytes(umociLayerSize)))"))
        ratio (tar | gzip -6 time / tripgen scratch -6 time): \(String(format: "%.2f", tarGzipSeconds / scratchSeconds))x
        ratio (umoci insert time / tripgen scratch -6 time): \(String(format: "%.2f", umociSeconds / scratchSeconds))x
        tripgen peak RSS (whole benchmark process): \(formatBytes(peak))
      """
  }
}

/// Generated content that compresses about as well as a Swift executable (about 3:1 with gzip -6):
/// runs copied from a table of snippets (like repeated code and metadata) between bytes biased
/// towards zero (like immediates and padding). A fixed seed makes it the same every run. It starts
/// with /usr/bin/true, so it is a dynamically linked ELF executable (the trailing bytes are ignored)
/// whose loader and libc the host-runtime base collects.
enum ExecutableLikeContent {
  static func write(bytes: Int, to path: String) throws {
    let prefix = try Data(contentsOf: URL(fileURLWithPath: "/usr/bin/true"))
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state
    }
    let snippets = (0..<512).map { _ in (0..<64).map { _ in UInt8(truncatingIfNeeded: next()) } }
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.write(contentsOf: prefix)
    var written = prefix.count
    var chunk: [UInt8] = []
    chunk.reserveCapacity(1 << 20)
    while written < bytes {
      chunk.removeAll(keepingCapacity: true)
      while chunk.count < min(1 << 20, bytes - written) {
        let random = next()
        if random % 10 < 7 {
          chunk += snippets[Int((random >> 8) % 512)]
        } else {
          for _ in 0..<8 {
            let a = next()
            chunk.append(UInt8(truncatingIfNeeded: a & (a >> 8) & (a >> 16)))
            chunk.append(UInt8(truncatingIfNeeded: (a >> 24) & (a >> 32)))
          }
        }
      }
      let piece = chunk.prefix(bytes - written)
      try handle.write(contentsOf: piece)
      written += piece.count
    }
  }
}

private func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T
{
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Result { try body() }) }
    thread.start()
  }
}
