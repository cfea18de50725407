import Controller
import Foundation
import TestSupport
import Testing

/// The status page in a real browser: headless Chromium (Debian's `chromium`) loads it from the
/// running controller, the test reads the DOM Chromium rendered, and a phone-sized screenshot is kept
/// in `.build/test-output/ControllerTests/` for people to look at.
@Suite(.serialized) struct StatusPageBrowserTests {
  static let outputDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".build/test-output/ControllerTests")

  /// Chromium as root needs --no-sandbox; a profile of its own keeps runs independent. It runs on
  /// a Dispatch thread: waiting for it must not hold a thread of the pool the controller serves on.
  static func chromium(_ arguments: [String], profile: String) async throws -> Command.Result {
    let command =
      [
        "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--user-data-dir=\(profile)", "--virtual-time-budget=2000",
      ] + arguments
    return try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Result { try Command.run(command) })
      }
    }
  }

  @Test func theStatusPageRendersInChromiumWithRevisionHealthAndSyncs() async throws {
    let fixture = try await ControllerFixture(greeting: "<script>alert(1)</script>")
    try await fixture.start()
    #expect(await fixture.waitUntil { await fixture.status()?.status.sync == .synced })
    fixture.kube.setStatus(
      apiVersion: "apps/v1", kind: "StatefulSet", namespace: ControllerFixture.namespace,
      name: "db", status: ["observedGeneration": 1, "replicas": 1, "readyReplicas": 1])
    #expect(
      await fixture.waitUntil {
        await fixture.status()?.status.objects.first { $0.name == "db" }?.health.status == .healthy
      })
    let status = try #require(await fixture.status())
    let commit = try #require(status.revision?.shortCommit)

    let profile = try TemporaryDirectory(prefix: "chromium")
    let dom = try await Self.chromium(["--dump-dom", fixture.baseURL + "/"], profile: profile.path)
    #expect(dom.succeeded, "\(dom.standardError)")
    let text = dom.standardOutput
    #expect(text.contains("tripgen controller"))
    #expect(text.contains("<section id=\"env-test\">"))
    #expect(text.contains(commit))
    #expect(text.contains("first revision"))
    #expect(text.contains("Ada Tester"))
    #expect(text.contains("Synced"))
    // Each object with its health, and the reason for the one that is not Healthy.
    #expect(text.contains("Deployment <b>web</b>"))
    #expect(text.contains("StatefulSet <b>db</b>"))
    #expect(text.contains("Progressing"))
    #expect(text.contains("Waiting for rollout to finish"))
    #expect(text.contains("Succeeded"))
    // No scripts and nothing fetched from elsewhere.
    #expect(!text.contains("<script"))
    #expect(!text.contains("src=\"http"))

    try FileManager.default.createDirectory(
      at: Self.outputDirectory, withIntermediateDirectories: true)
    let screenshot = Self.outputDirectory.appendingPathComponent("status-page.png")
    try? FileManager.default.removeItem(at: screenshot)
    let shot = try await Self.chromium(
      ["--screenshot=\(screenshot.path)", "--window-size=412,915", fixture.baseURL + "/"],
      profile: profile.path)
    #expect(shot.succeeded, "\(shot.standardError)")
    let png = try Data(contentsOf: screenshot)
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    #expect(png.count > 5_000)
    await fixture.shutdown()
  }
}
