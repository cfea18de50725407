import Foundation
import OCI
import TestSupport

/// The oci-hello fixture built once per test run, as the image build does it (release,
/// --static-swift-stdlib), in a package of its own under a temporary directory: building inside this
/// package would wait on the lock `swift test` holds on .build.
enum Fixtures {
  static let helloOutput = "hello from oci-hello\n"

  static let fixtureSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/oci-hello/main.swift")

  /// A fixed directory, reused from run to run (its .build makes later runs incremental) rather than
  /// a fresh temporary one that a static property would never remove.
  private static let packageDirectory: URL = {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("tripgen-oci-fixtures/oci-hello")
    let sources = directory.appendingPathComponent("Sources/oci-hello")
    try! FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
    try! Data(contentsOf: fixtureSource).write(to: sources.appendingPathComponent("main.swift"))
    try! Data(
      """
      // swift-tools-version: 6.1
      import PackageDescription
      let package = Package(name: "oci-hello", targets: [.executableTarget(name: "oci-hello")])
      """.utf8
    ).write(to: directory.appendingPathComponent("Package.swift"))
    return directory
  }()

  private static let helloBuild = Task<SwiftProductBuilder.Product, any Error> {
    try await SwiftProductBuilder(packageDirectory: packageDirectory.path).build("oci-hello") { _ in
    }
  }

  /// The built oci-hello product.
  static func hello() async throws -> SwiftProductBuilder.Product {
    try await helloBuild.value
  }

  /// A request for oci-hello into `layout` tagged `tag`.
  static func request(
    _ product: SwiftProductBuilder.Product, layout: String, tag: String = "v1",
    base: BaseImageSource = .hostRuntime, creationTime: Int = 1_700_000_000
  ) throws -> ImageRequest {
    ImageRequest(
      product: product.name, executable: product.executable,
      resourceBundles: product.resourceBundles, base: base,
      destination: try LayoutReference(path: layout, tag: tag),
      environment: ["GREETING=hello"], creationTime: creationTime, revision: "abc123",
      source: "https://example.com/tripgen.git")
  }

  static var isRoot: Bool { getuid() == 0 }
}
