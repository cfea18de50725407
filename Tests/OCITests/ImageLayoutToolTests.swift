import Foundation
import OCI
import TestSupport
import Testing

/// Images written by the assembler, read back by skopeo and umoci from Debian.
@Suite struct ImageLayoutToolTests {
  @Test func skopeoInspectSeesTheConfigAndLayers() async throws {
    let product = try await Fixtures.hello()
    let directory = try TemporaryDirectory(prefix: "oci-layout")
    let layout = directory.file("layout").path
    let image = try await ImageAssembler.assemble(try Fixtures.request(product, layout: layout))

    let inspected = try Command.check(["skopeo", "inspect", "oci:\(layout):v1"]).standardOutput
    let json = try JSONSerialization.jsonObject(with: Data(inspected.utf8)) as! [String: Any]
    #expect(json["Digest"] as? String == image.manifest.digest.description)
    #expect(json["Layers"] as? [String] == image.layers.map(\.descriptor.digest.description))
    #expect(json["Created"] as? String == "2023-11-14T22:13:20Z")
    #expect(json["Architecture"] as? String == "amd64")
    let labels = json["Labels"] as? [String: String]
    #expect(labels?["org.opencontainers.image.revision"] == "abc123")
    #expect(labels?["org.opencontainers.image.source"] == "https://example.com/tripgen.git")
    #expect(labels?["org.opencontainers.image.created"] == "2023-11-14T22:13:20Z")

    let config = try Command.check(["skopeo", "inspect", "--config", "oci:\(layout):v1"])
      .standardOutput
    let configJSON = try JSONSerialization.jsonObject(with: Data(config.utf8)) as! [String: Any]
    let runtime = configJSON["config"] as! [String: Any]
    #expect(runtime["User"] as? String == "65532:65532")
    #expect(runtime["Entrypoint"] as? [String] == ["/app/oci-hello"])
    #expect(runtime["WorkingDir"] as? String == "/app")
    #expect((runtime["ExposedPorts"] as? [String: Any])?.keys.sorted() == ["8080/tcp"])
    #expect(
      runtime["Env"] as? [String] == ["PATH=\(ImageAssembler.defaultPath)", "GREETING=hello"])
    #expect(configJSON["created"] as? String == "2023-11-14T22:13:20Z")

    let copy = directory.file("copy").path
    try Command.check(["skopeo", "copy", "oci:\(layout):v1", "oci:\(copy):v1"])
    let copied = try Command.check(["skopeo", "inspect", "oci:\(copy):v1"]).standardOutput
    let copiedJSON = try JSONSerialization.jsonObject(with: Data(copied.utf8)) as! [String: Any]
    #expect(copiedJSON["Layers"] as? [String] == image.layers.map(\.descriptor.digest.description))
  }

  @Test func umociUnpacksAHostRuntimeImageThatRuns() async throws {
    let product = try await Fixtures.hello()
    let directory = try TemporaryDirectory(prefix: "oci-umoci")
    let layout = directory.file("layout").path
    _ = try await ImageAssembler.assemble(try Fixtures.request(product, layout: layout))
    let bundle = directory.file("bundle").path
    try Command.check(["umoci", "unpack", "--rootless", "--image", "\(layout):v1", bundle])
    let rootfs = bundle + "/rootfs"
    #expect(FileManager.default.isExecutableFile(atPath: rootfs + "/app/oci-hello"))
    let passwd = try String(contentsOfFile: rootfs + "/etc/passwd", encoding: .utf8)
    #expect(passwd.contains("nonroot:x:65532:65532:"))
    #expect(FileManager.default.fileExists(atPath: rootfs + HostRuntime.certificateBundle))
    let tmp = try FileManager.default.attributesOfItem(atPath: rootfs + "/tmp")
    #expect((tmp[.posixPermissions] as? Int) == 0o1777)

    guard Fixtures.isRoot else {
      print("skipping `chroot \(rootfs) /app/oci-hello`: chroot needs root (CI runs as root)")
      return
    }
    let run = try Command.check(["chroot", rootfs, "/app/oci-hello"])
    #expect(run.standardOutput == Fixtures.helloOutput)
    // Only the layer's files are there: the loader found the libraries through the copied links.
    let ls = try Command.run(["chroot", rootfs, "/bin/sh", "-c", "true"])
    #expect(!ls.succeeded)
  }

  /// scratch holds the application layer alone. A --static-swift-stdlib executable still links glibc
  /// dynamically (it has a PT_INTERP), so it cannot run there: scratch is for fully static executables
  /// (e.g. built with the static Linux SDK), and the image holds exactly /app.
  @Test func scratchHoldsTheApplicationLayerAloneWithItsResourceBundles() async throws {
    let product = try await Fixtures.hello()
    let directory = try TemporaryDirectory(prefix: "oci-scratch")
    let bundle = directory.file("oci-hello_oci-hello.resources")
    try FileManager.default.createDirectory(
      at: bundle.appendingPathComponent("static"), withIntermediateDirectories: true)
    try Data("hello\n".utf8).write(to: bundle.appendingPathComponent("static/greeting.txt"))
    let layout = directory.file("layout").path
    var request = try Fixtures.request(product, layout: layout, base: .scratch)
    request.resourceBundles = [bundle.path]
    let image = try await ImageAssembler.assemble(request)
    #expect(image.layers.count == 1)
    let unpacked = directory.file("bundle").path
    try Command.check(["umoci", "unpack", "--rootless", "--image", "\(layout):v1", unpacked])
    let top = try FileManager.default.contentsOfDirectory(atPath: unpacked + "/rootfs")
    #expect(top == ["app"])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: unpacked + "/rootfs/app").sorted()
        == ["oci-hello", "oci-hello_oci-hello.resources"])
    #expect(
      try String(
        contentsOfFile: unpacked + "/rootfs/app/oci-hello_oci-hello.resources/static/greeting.txt",
        encoding: .utf8) == "hello\n")
  }

  @Test func aSecondTagInTheSameLayoutSharesBlobs() async throws {
    let product = try await Fixtures.hello()
    let directory = try TemporaryDirectory(prefix: "oci-tags")
    let layout = directory.file("layout").path
    let first = try await ImageAssembler.assemble(try Fixtures.request(product, layout: layout))
    let second = try await ImageAssembler.assemble(
      try Fixtures.request(product, layout: layout, tag: "v2", creationTime: 1_800_000_000))
    #expect(first.layers == second.layers)
    #expect(first.manifest.digest != second.manifest.digest)
    let opened = try ImageLayout.open(at: layout)
    #expect(try opened.tags() == ["v1", "v2"])
    let blobs = try FileManager.default.contentsOfDirectory(atPath: layout + "/blobs/sha256")
    // Two layers shared, two configs, two manifests.
    #expect(blobs.count == 6)
    for tag in ["v1", "v2"] {
      try Command.check(["skopeo", "inspect", "oci:\(layout):\(tag)"])
    }
    // Retagging v1 replaces it in place; v2 stays.
    let retagged = try await ImageAssembler.assemble(
      try Fixtures.request(product, layout: layout, tag: "v1", creationTime: 1_900_000_000))
    #expect(try opened.tags() == ["v1", "v2"])
    #expect(try opened.manifestDescriptor(tag: "v1").digest == retagged.manifest.digest)
  }

  @Test func anImageInALayoutServesAsBase() async throws {
    let product = try await Fixtures.hello()
    let directory = try TemporaryDirectory(prefix: "oci-base")
    let baseLayout = directory.file("base").path
    let base = try await ImageAssembler.assemble(try Fixtures.request(product, layout: baseLayout))
    // Let skopeo rewrite the base, so the base read here is one we did not write.
    let copied = directory.file("copied").path
    try Command.check(["skopeo", "copy", "oci:\(baseLayout):v1", "oci:\(copied):base"])
    let layout = directory.file("layout").path
    let image = try await ImageAssembler.assemble(
      try Fixtures.request(
        product, layout: layout, base: .layout(try LayoutReference(path: copied, tag: "base"))))
    #expect(image.layers.count == 3)
    #expect(
      Array(image.layers.prefix(2)).map(\.descriptor.digest) == base.layers.map(\.descriptor.digest)
    )
    let bundle = directory.file("bundle").path
    try Command.check(["umoci", "unpack", "--rootless", "--image", "\(layout):v1", bundle])
    #expect(FileManager.default.fileExists(atPath: bundle + "/rootfs/etc/passwd"))

    await #expect(throws: OCIError.self) {
      _ = try await ImageAssembler.assemble(
        try Fixtures.request(
          product, layout: layout, base: .layout(try LayoutReference(path: copied, tag: "nope"))))
    }
  }
}
