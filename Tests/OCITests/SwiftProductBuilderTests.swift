import Foundation
import OCI
import TestSupport
import Testing

@Suite struct SwiftProductBuilderTests {
  @Test func theFixtureIsBuiltStaticallyInRelease() async throws {
    let product = try await Fixtures.hello()
    #expect(product.executable.contains("/release/"))
    #expect(try Command.check([product.executable]).standardOutput == Fixtures.helloOutput)
    // --static-swift-stdlib: no libswiftCore.so among the libraries.
    let libraries = try Command.check(["ldd", product.executable]).standardOutput
    #expect(!libraries.contains("libswift"))
    #expect(product.resourceBundles.isEmpty)
  }

  @Test func aFailedBuildReportsTheProductAndTheCompilerErrors() async throws {
    let directory = try TemporaryDirectory(prefix: "oci-broken")
    try FileManager.default.createDirectory(
      at: directory.file("Sources/broken"), withIntermediateDirectories: true)
    try Data("let x: Int = \"not a number\"\n".utf8).write(
      to: directory.file("Sources/broken/main.swift"))
    try Data(
      """
      // swift-tools-version: 6.1
      import PackageDescription
      let package = Package(name: "broken", targets: [.executableTarget(name: "broken")])
      """.utf8
    ).write(to: directory.file("Package.swift"))
    let lines = LineCollector()
    await #expect {
      _ = try await SwiftProductBuilder(packageDirectory: directory.path).build("broken") {
        lines.append($0)
      }
    } throws: { error in
      guard case OCIError.swiftBuildFailed(let product, let status, let lastLines) = error else {
        return false
      }
      return product == "broken" && status != 0
        && lastLines.contains { $0.contains("error:") && $0.contains("main.swift") }
        && (error as! OCIError).description.contains("swift build of product 'broken' failed")
    }
    // The output was streamed as it came, starting with the command.
    #expect(lines.lines.first?.hasPrefix("$ swift build -c release --product broken") == true)
    #expect(lines.lines.contains { $0.contains("error:") })
  }

  @Test func cancellingTheTaskStopsTheBuild() async throws {
    // A stand-in for `swift` that never finishes on its own.
    let directory = try TemporaryDirectory(prefix: "oci-cancel")
    let fakeSwift = directory.file("swift").path
    try Data("#!/bin/sh\necho started\nexec sleep 60\n".utf8).write(
      to: URL(fileURLWithPath: fakeSwift))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakeSwift)
    let lines = LineCollector()
    let build = Task {
      try await SwiftProductBuilder(packageDirectory: directory.path, swift: fakeSwift).build("app")
      {
        lines.append($0)
      }
    }
    while !lines.lines.contains("started") { try await Task.sleep(for: .milliseconds(20)) }
    let start = ContinuousClock.now
    build.cancel()
    await #expect(throws: OCIError.cancelled("swift build of product 'app'")) {
      _ = try await build.value
    }
    #expect(ContinuousClock.now - start < .seconds(10))
  }

  @Test func resourceBundlesAreThoseTheExecutableNames() throws {
    let directory = try TemporaryDirectory(prefix: "oci-resources")
    let executable = directory.file("server")
    try Data("\u{7f}ELF...App_Server.resources...".utf8).write(to: executable)
    for bundle in ["App_Server.resources", "App_ServerTests.resources", "Other_Tool.resources"] {
      try FileManager.default.createDirectory(
        at: directory.file(bundle + "/static"), withIntermediateDirectories: true)
      try Data("body {}\n".utf8).write(to: directory.file(bundle + "/static/site.css"))
    }
    let found = try ResourceBundles.find(forExecutable: executable.path)
    #expect(found == [directory.file("App_Server.resources").path])
    try FileManager.default.createSymbolicLink(
      atPath: directory.file("App_Server.resources/link.css").path,
      withDestinationPath: "static/site.css")
    let entries = try ResourceBundles.entries(copying: found[0], to: "/app/App_Server.resources")
    #expect(
      Set(entries.map(\.path))
        == [
          "/app/App_Server.resources", "/app/App_Server.resources/static",
          "/app/App_Server.resources/static/site.css", "/app/App_Server.resources/link.css",
        ])
    #expect(
      entries.first { $0.path.hasSuffix("link.css") }?.kind == .symlink(target: "static/site.css"))
  }
}

/// Lines handed to a @Sendable callback, collected for the test to read afterwards.
final class LineCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var collected: [String] = []
  func append(_ line: String) { lock.withLock { collected.append(line) } }
  var lines: [String] { lock.withLock { collected } }
}
