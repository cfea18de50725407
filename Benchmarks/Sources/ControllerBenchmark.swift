import ArgumentParser
import Controller
import Environments
import Foundation
import Kube
import TestSupport
import YAML

/// `tripgen-bench controller`: the real `tripgen controller` process (built beside this one) against
/// Git over smart HTTP on loopback and the in-process test API server: webhook-to-synced latency of
/// a one-value change, then idle memory and CPU with one environment.
///
/// Reference, measured in the same run: the floor of one change, a `git fetch` of the same
/// repository with the git command line plus one server-side apply of the changed ConfigMap with the
/// Kube client; and for memory, `tripgen --version` (the binary's own baseline).
struct ControllerBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "controller",
    abstract: "Controller: webhook-to-synced latency, idle RSS and CPU with one environment.")

  @Option(help: "Commits to measure.")
  var commits = 20

  @Option(help: "Seconds of idle to measure CPU over.")
  var idleSeconds = 30

  func run() async throws {
    let directory = try TemporaryDirectory(prefix: "bench-controller")
    let work = try GitFixtureRepository(at: directory.file("work").path)
    let root = directory.file("served").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    let git = try GitHTTPServer(
      root: root, username: "git", password: "bench-pass", directory: directory)
    let url = git.url("tripgen.git")
    try Self.writeEnvironment(into: work, repository: url)
    try work.write("environments/bench/values.yaml", "greeting: v0\n")
    try work.commitAll("first")
    try work.publish(to: root + "/tripgen.git")
    let kube = try await KubeAPIServer()
    defer { git.stop() }
    var configuration = KubeClientConfiguration(
      server: kube.url, authentication: .none, namespace: "bench")
    configuration.queriesPerSecond = 0
    let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    _ = try await client.create([
      "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "bench"],
    ])

    let kubeconfig = directory.file("kubeconfig")
    try """
    apiVersion: v1
    kind: Config
    clusters: [{name: test, cluster: {server: "\(kube.url)"}}]
    users: [{name: test, user: {}}]
    contexts: [{name: test, context: {cluster: test, user: test, namespace: bench}}]
    current-context: test

    """.write(to: kubeconfig, atomically: true, encoding: .utf8)
    try "bench-pass\n".write(to: directory.file("git-token"), atomically: true, encoding: .utf8)
    try "bench-secret\n".write(to: directory.file("webhook"), atomically: true, encoding: .utf8)
    let port = try FreePort.pick()
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("tripgen").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = [
      "controller", "--env", "bench", "--repo-url", url, "--branch", "main",
      "--git-username", "git",
      "--git-token-file", directory.file("git-token").path, "--webhook-secret-file",
      directory.file("webhook").path, "--address", "127.0.0.1", "--port", String(port),
      "--no-leader-election", "--kubeconfig", kubeconfig.path, "--mirror-dir",
      directory.file("mirror").path, "--log-level", "warning",
    ]
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    defer {
      process.terminate()
      process.waitUntilExit()
    }
    let transport = KubeHTTPTransport()
    func get(_ path: String) async -> Int {
      (try? await transport.send(
        KubeRequest(method: "GET", url: "http://127.0.0.1:\(port)\(path)", headers: [], body: nil)))?
        .status ?? 0
    }
    func greeting() -> String? {
      kube.object(apiVersion: "v1", kind: "ConfigMap", namespace: "bench", name: "greeting")?[
        "data"]?["greeting"]?.stringValue
    }
    try await Self.waitUntil(.seconds(60)) { await get("/readyz") == 200 && greeting() == "v0" }

    // Webhook to synced, one value per commit.
    let signature = WebhookSignature(secret: Array("bench-secret".utf8))
    var latencies: [Double] = []
    for index in 1...commits {
      try work.write("environments/bench/values.yaml", "greeting: v\(index)\n")
      let commit = try work.commitAll("v\(index)")
      try work.push()
      let body = Array(
        #"{"ref":"refs/heads/main","after":"\#(commit)","repository":{"clone_url":"\#(url)"}}"#
          .utf8)
      let start = ContinuousClock.now
      let response = try await transport.send(
        KubeRequest(
          method: "POST", url: "http://127.0.0.1:\(port)/api/webhook",
          headers: [
            ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", signature.header(for: body)),
          ], body: body))
      guard response.status == 202 else {
        throw BenchmarkError.referenceFailed("webhook", status: Int32(response.status))
      }
      try await Self.waitUntil(.seconds(30), poll: .milliseconds(2)) { greeting() == "v\(index)" }
      latencies.append((ContinuousClock.now - start).asSeconds)
    }

    // The controller's own account of where the time went: its fetch and reconcile histograms.
    let exposition = try await transport.send(
      KubeRequest(
        method: "GET", url: "http://127.0.0.1:\(port)/metrics", headers: [], body: nil))
    let metrics = String(decoding: exposition.body, as: UTF8.self)
    func mean(_ name: String) -> Double? {
      func value(_ suffix: String) -> Double? {
        metrics.split(separator: "\n").first {
          $0.hasPrefix(name + suffix + "{") && !$0.contains("failure")
        }.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
      }
      guard let sum = value("_sum"), let count = value("_count"), count > 0 else { return nil }
      return sum / count
    }
    let fetchMean = mean("tripgen_controller_git_fetch_duration_seconds")
    let reconcileMean = mean("tripgen_controller_reconcile_duration_seconds")

    // The floor: git fetch of the same repository, then one apply of the changed object.
    let mirror = directory.file("reference").path
    try Command.check([
      "git", "clone", "--quiet", "--mirror",
      url.replacingOccurrences(of: "http://", with: "http://git:bench-pass@"), mirror,
    ])
    var floors: [Double] = []
    for index in 1...commits {
      try work.write("environments/bench/values.yaml", "greeting: r\(index)\n")
      try work.commitAll("r\(index)")
      try work.push()
      let seconds = try await Measurement.secondsAsync {
        try Command.check(["git", "-C", mirror, "fetch", "--quiet", "origin"])
        _ = try await client.apply(
          [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "reference", "namespace": "bench"],
            "data": ["greeting": .string("r\(index)")],
          ], fieldManager: "bench", force: true)
      }
      floors.append(seconds)
    }

    // Idle: memory and CPU of the controller process after its work is done.
    try await Task.sleep(for: .seconds(5))
    let pid = process.processIdentifier
    let cpuBefore = Self.cpuSeconds(pid: pid)
    let wallBefore = ContinuousClock.now
    try await Task.sleep(for: .seconds(idleSeconds))
    let cpu = Self.cpuSeconds(pid: pid) - cpuBefore
    let wall = (ContinuousClock.now - wallBefore).asSeconds
    let rss = Self.residentBytes(pid: pid)
    let baseline = try Measurement.run([binary, "--version"]).peakResidentBytes

    // Loading and rendering the environment in this process, as the reconcile does at each revision.
    let files = DirectorySourceFiles(root: work.path)
    var loads: [Double] = []
    var renders: [Double] = []
    for _ in 0..<5 {
      var environment: Environments.Environment?
      loads.append(
        try await Measurement.secondsAsync {
          environment = try EnvironmentLoader.load(name: "bench", from: files)
        })
      renders.append(
        try await Measurement.secondsAsync {
          _ = try EnvironmentRenderer().render(
            environment!, files: files, revision: .benchmark, images: [])
        })
    }

    latencies.sort()
    floors.sort()
    func percentile(_ values: [Double], _ p: Double) -> Double {
      values[min(values.count - 1, Int((Double(values.count) * p).rounded(.down)))]
    }
    let p50 = percentile(latencies, 0.5)
    let floor50 = percentile(floors, 0.5)
    print("controller: webhook to synced, \(commits) one-value commits")
    print(
      String(
        format: "  p50 %.3f s  p90 %.3f s  max %.3f s  (target p50 < 2 s)", p50,
        percentile(latencies, 0.9), latencies.last ?? 0))
    print(
      String(
        format: "  reference git fetch + one apply: p50 %.3f s; controller / reference %.1fx",
        floor50, p50 / floor50))
    print(
      String(
        format: "  controller's own means: git fetch %.3f s, reconcile (render + apply) %.3f s",
        fetchMean ?? -1, reconcileMean ?? -1))
    print(
      String(
        format: "  in this process: load environment file %.3f s, render chart %.3f s (best of 5)",
        loads.min() ?? -1, renders.min() ?? -1))
    print(
      String(
        format: "controller: idle RSS %.1f MiB (target < 40 MiB); tripgen --version %.1f MiB",
        Double(rss) / 1_048_576, Double(baseline) / 1_048_576))
    print(
      String(
        format: "controller: idle CPU %.3f s over %.0f s (%.2f %% of one core)", cpu, wall,
        cpu / wall * 100))
    await kube.stop()
  }

  static func waitUntil(
    _ timeout: Duration, poll: Duration = .milliseconds(50), _ condition: () async -> Bool
  ) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if await condition() { return }
      try await Task.sleep(for: poll)
    }
    throw BenchmarkError.referenceFailed("timed out waiting for the controller", status: 1)
  }

  static func residentBytes(pid: Int32) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
      let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kib * 1024
  }

  static func cpuSeconds(pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
      return 0
    }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  static func writeEnvironment(into work: GitFixtureRepository, repository: String) throws {
    try work.write("charts/bench/Chart.yaml", "apiVersion: v2\nname: bench\nversion: 0.1.0\n")
    try work.write("charts/bench/values.yaml", "greeting: hi\n")
    try work.write(
      "charts/bench/templates/configmap.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  greeting: {{ .Values.greeting | quote }}\n"
    )
    try work.write(
      "environments/bench/environment.yaml",
      """
      apiVersion: tripgen.io/v1alpha1
      kind: Environment
      metadata: {name: bench}
      spec:
        source: {repository: "\(repository)", branch: main, interval: 60s}
        namespace: bench
        cluster: {required: false}
        charts:
          - {release: bench, path: charts/bench, values: [environments/bench/values.yaml]}
        registry: {layout: images}
        images: []
        syncPolicy: {automated: true, prune: true, selfHeal: true}

      """)
  }
}
