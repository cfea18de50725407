import Foundation
import TestSupport
import Testing

/// How `tripgen diff|sync|status` bind images without `--image`: by source-addressed tag, with the
/// digest looked up in the environment's registry; `--offline` when it cannot be reached.
@Suite struct GitOpsCommandImageTests {
  @Test func imagesAreLookedUpByTagAndOfflineSkipsTheRegistry() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    // A registry on 127.0.0.1 that nothing listens on.
    let registry = "127.0.0.1:\(try FreePort.pick())"
    let file = fixture.repository.path + "/environments/test/environment.yaml"
    let text = try String(contentsOfFile: file, encoding: .utf8)
    try fixture.repository.write(
      "environments/test/environment.yaml",
      text.replacingOccurrences(of: "registry.test:5000", with: registry))
    try fixture.repository.commitAll("a registry that cannot be reached")
    let common = [
      "--env", "test", "--repo", fixture.repository.path, "--kubeconfig",
      try GitOpsCommandTests.kubeconfig(fixture),
    ]

    // Without --image the digest is asked of the registry; when it cannot answer, the error
    // names the image and the way out.
    let unreachable = try await tripgen(["diff"] + common)
    #expect(unreachable.status == 2, "\(unreachable.standardError)")
    #expect(unreachable.standardError.contains("image web: looking up \(registry)/web:src-"))
    #expect(unreachable.standardError.contains("--offline"))

    // --offline binds the image by its source-addressed tag; the plan waits for the image.
    let offline = try await tripgen(["diff", "--offline"] + common)
    #expect(offline.status == 1, "\(offline.standardError)")
    #expect(
      offline.standardOutput.contains("image: \(registry)/web:src-"), "\(offline.standardOutput)")
    #expect(offline.standardError.contains("waiting for image: web (\(registry)/web:src-"))

    // --image still pins an image, and then the registry is not asked at all.
    let pinned = try await tripgen(
      ["diff", "--image", "web=\(registry)/web:src-1@\(GitOpsFixture.digest)"] + common)
    #expect(pinned.status == 1, "\(pinned.standardError)")
    #expect(pinned.standardOutput.contains("image: \(registry)/web@\(GitOpsFixture.digest)"))
    #expect(!pinned.standardError.contains("waiting for image"))
  }
}
