import Foundation
import Pipeline
import Registry
import Synchronization
import TestSupport
import Testing

/// `tripgen ci` end to end: a real Git repository, real `swift build`s, the real registry
/// (docker-registry) and the test Kubernetes API server, with GitHub Actions' files parsed back.
/// One test, in steps, because each step starts from what the previous one left in the registry.
@Suite(.serialized) struct CIEndToEndTests {
  final class Capture: Sendable {
    let text = Mutex("")
    var value: String { text.withLock { $0 } }
    func append(_ part: String) { text.withLock { $0 += part } }
  }

  struct Run {
    var report: CIReport
    var error: PipelineError?
    var log: String
    var outputs: [String: String]
    var summary: String
  }

  static func run(
    _ fixture: CIFixture, registry: RegistryServer?, sync: Bool = false, push: Bool = true,
    step: String
  ) async throws -> Run {
    let outputFile = fixture.scratch.path + "/output-\(step)"
    let summaryFile = fixture.scratch.path + "/summary-\(step)"
    let capture = Capture()
    let console = CIConsole(style: .githubActions) { capture.append($0) }
    let environment = [
      "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": outputFile, "GITHUB_STEP_SUMMARY": summaryFile,
      "KUBECONFIG": fixture.kubeconfig, "HOME": fixture.scratch.path,
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
    ]
    if let registry { console.masker.register(registry.password) }
    let options = CIOptions(
      environment: "ci", repositoryPath: fixture.repository.path, push: push, sync: sync,
      registryCredentials: registry.map {
        RegistryCredentials(username: $0.username, password: $0.password)
      },
      processEnvironment: environment)
    let (report, error) = await CIRun(options: options, console: console).run()
    try CISummary.publish(report, environment: environment, masker: console.masker)
    let outputs = try GitHubOutputFile.parse(
      try String(contentsOfFile: outputFile, encoding: .utf8))
    let summary = try String(contentsOfFile: summaryFile, encoding: .utf8)
    return Run(report: report, error: error, log: capture.value, outputs: outputs, summary: summary)
  }

  @Test func buildsOnlyWhatChangedAndStopsAtABrokenChart() async throws {
    let registry = try RegistryServer()
    defer { registry.stop() }
    let kube = try await KubeAPIServer()
    let fixture = try CIFixture(registryHost: registry.host, kubeServer: kube.url)
    let firstCommit = try fixture.repository.commitAll("four services")

    // 1. A first run builds and pushes all four.
    let first = try await Self.run(fixture, registry: registry, step: "first")
    #expect(first.error == nil, "\(first.log)")
    #expect(first.report.revision == firstCommit)
    #expect(first.report.images.map(\.service) == CIFixture.services)
    #expect(first.report.images.allSatisfy { $0.outcome == .built && $0.uploadedBlobs > 0 })
    for image in first.report.images {
      // The registry holds what the report says, under the source-addressed tag.
      let client = RegistryClient(
        registry: registry.host,
        configuration: .init(
          credentials: RegistryCredentials(username: registry.username, password: registry.password)
        ))
      let manifest = try await client.manifest(image.tag, in: image.service)
      #expect(manifest.digest.description == image.digest)
      #expect(image.tag.hasPrefix("src-"))
      #expect(
        first.outputs["\(image.service)-image"]
          == "\(registry.host)/\(image.service)@\(image.digest)")
      #expect(first.outputs["\(image.service)-digest"] == image.digest)
      #expect(
        first.outputs["\(image.service)-ref"]
          == "\(registry.host)/\(image.service)@\(image.digest)")
      #expect(first.outputs["\(image.service)-rebuilt"] == "true")
    }
    #expect(first.outputs["revision"] == firstCommit)
    #expect(first.outputs["images"]?.split(separator: "\n").count == 4)
    let digests = try JSONDecoder().decode(
      [String: String].self, from: Data((first.outputs["digests"] ?? "").utf8))
    #expect(
      digests
        == Dictionary(uniqueKeysWithValues: first.report.images.map { ($0.service, $0.digest) }))
    #expect(first.outputs["plan-against"] == "cluster")
    #expect(first.outputs["plan-create"] == "4")
    #expect(first.outputs["plan-update"] == "0")
    #expect(first.outputs["result"] == "success")
    #expect(first.outputs["check-errors"] == "0")
    #expect(first.summary.contains("### Checks"))
    #expect(first.log.contains("::group::swift build user-service"))
    #expect(first.log.contains("::add-mask::\(registry.password)"))
    #expect(
      !first.log.replacingOccurrences(of: "::add-mask::\(registry.password)", with: "")
        .contains(registry.password))
    // The summary: the images table row of each service, and each planned object collapsed.
    for image in first.report.images {
      #expect(
        first.summary.contains("| \(image.service) | \(image.tag) | \(image.digest) | built: "))
    }
    #expect(first.summary.contains("| create | update | prune | unchanged |"))
    #expect(
      first.summary.contains(
        "<details><summary>create apps/Deployment:default/user-service</summary>"))
    // The engine's diff: `+` lines of the desired YAML, the image pinned by digest.
    #expect(
      first.summary.split(separator: "\n").contains {
        $0.hasPrefix("+") && $0.contains("image: \(registry.host)/user-service@sha256:")
      })

    // 2. The same revision again, with --sync: nothing rebuilt, nothing pushed, all applied.
    let putsBefore = registry.requestCount(method: "PUT", pathContaining: "/")
    let second = try await Self.run(fixture, registry: registry, sync: true, step: "second")
    #expect(second.error == nil, "\(second.log)")
    #expect(second.report.images.allSatisfy { $0.outcome == .reused })
    #expect(second.report.images.map(\.digest) == first.report.images.map(\.digest))
    #expect(registry.requestCount(method: "PUT", pathContaining: "/") == putsBefore)
    #expect(!second.log.contains("swift build"))
    #expect(second.outputs["user-service-rebuilt"] == "false")
    #expect(second.report.synced)
    // The engine's sync records itself in the environment's history.
    let history = kube.object(
      apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "tripgen-history-ci")
    let entries = history?["data"]?["history.json"]?.stringValue ?? ""
    #expect(entries.contains("\"trigger\":\"tripgen ci\""), "\(entries)")
    #expect(entries.contains(firstCommit))
    let applied = kube.object(
      apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "location-service")
    #expect(
      applied?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.stringValue
        == "\(registry.host)/location-service@\(first.report.images[3].digest)")

    // 3. A commit touching only the location service rebuilds only it, and the plan updates only
    //    its Deployment.
    try fixture.writeService("location-service", greeting: "hi again")
    try fixture.repository.commitAll("location: new greeting")
    let third = try await Self.run(fixture, registry: registry, step: "third")
    #expect(third.error == nil, "\(third.log)")
    let outcomes = Dictionary(
      uniqueKeysWithValues: third.report.images.map { ($0.service, $0.outcome) })
    #expect(
      outcomes == [
        "user-service": .reused, "trip-service": .reused, "ai-service": .reused,
        "location-service": .built,
      ])
    #expect(third.log.contains("::group::swift build location-service"))
    #expect(!third.log.contains("::group::swift build user-service"))
    #expect(third.outputs["location-service-rebuilt"] == "true")
    #expect(third.outputs["trip-service-rebuilt"] == "false")
    #expect(third.outputs["plan-update"] == "1")
    #expect(third.outputs["plan-unchanged"] == "3")
    #expect(
      third.summary.contains(
        "<details><summary>update apps/Deployment:default/location-service</summary>"))

    // 4. A broken chart (with another service changed too) fails with an annotation at the
    //    template's line, before any build or push.
    try fixture.breakChart()
    try fixture.writeService("trip-service", greeting: "changed")
    try fixture.repository.commitAll("broken chart")
    let putsBeforeBroken = registry.requestCount(method: "PUT", pathContaining: "/")
    let broken = try await Self.run(fixture, registry: registry, step: "broken")
    #expect(broken.error != nil)
    #expect(
      broken.log.contains(
        "::error file=charts/app/templates/deployment.yaml,line=\(CIFixture.brokenTemplateLine)"),
      "\(broken.log)")
    #expect(!broken.log.contains("swift build"))
    #expect(registry.requestCount(method: "PUT", pathContaining: "/") == putsBeforeBroken)
    #expect(broken.outputs["result"] == "failure")
    #expect(
      broken.summary.contains(
        "Failed (charts/app/templates/deployment.yaml:\(CIFixture.brokenTemplateLine))"))

    // 5. A chart that renders but fails `tripgen check` (no readiness probe) fails the same way:
    //    annotations at the template, nothing built or pushed.
    try fixture.dropReadinessProbe()
    try fixture.repository.commitAll("no readiness probe")
    let unchecked = try await Self.run(fixture, registry: registry, step: "unchecked")
    #expect(unchecked.error != nil)
    #expect(
      unchecked.log.contains(
        "::error file=charts/app/templates/deployment.yaml::Deployment default/user-service"),
      "\(unchecked.log)")
    #expect(unchecked.log.contains("readinessProbe"))
    #expect(!unchecked.log.contains("swift build"))
    #expect(registry.requestCount(method: "PUT", pathContaining: "/") == putsBeforeBroken)
    #expect(unchecked.outputs["check-errors"] == "4")
    #expect(unchecked.summary.contains("| error | policy | Deployment default/user-service |"))
    await kube.stop()
  }

  /// A pull request without registry credentials (here: a registry port nothing listens on) with
  /// --no-push: the lookups are warnings, the images are built into .tripgen/build to prove they
  /// build, and a second run of the same sources does not build them again.
  @Test func noPushWithoutARegistryBuildsOnceAndKeepsTheImagesLocally() async throws {
    let kube = try await KubeAPIServer()
    let closedPort = try FreePort.pick()
    let fixture = try CIFixture(
      registryHost: "127.0.0.1:\(closedPort)", kubeServer: kube.url)
    try fixture.repository.commitAll("four services")

    let first = try await Self.run(fixture, registry: nil, push: false, step: "no-push-1")
    #expect(first.error == nil, "\(first.log)")
    #expect(first.log.contains("::warning::user-service: cannot look src-"))
    #expect(first.report.images.allSatisfy { $0.outcome == .builtNotPushed })
    #expect(first.log.contains("::group::swift build user-service"))
    #expect(
      first.outputs["user-service-image"]?.hasPrefix(
        "oci:\(fixture.repository.path)/.tripgen/build:src-") == true)
    // Not pushed, but its digest is known: the reference the plan's manifests use.
    let built = try #require(first.report.images.first { $0.service == "user-service" })
    #expect(built.digest.hasPrefix("sha256:"))
    #expect(first.outputs["user-service-digest"] == built.digest)
    #expect(
      first.outputs["user-service-ref"] == "127.0.0.1:\(closedPort)/user-service@\(built.digest)")

    let second = try await Self.run(fixture, registry: nil, push: false, step: "no-push-2")
    #expect(second.error == nil, "\(second.log)")
    #expect(!second.log.contains("swift build"))
    #expect(second.report.images.map(\.digest) == first.report.images.map(\.digest))
    await kube.stop()
  }
}
