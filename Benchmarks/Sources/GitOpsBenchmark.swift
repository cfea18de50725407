import ArgumentParser
import Environments
import Foundation
import Git
import GitOps
import Kube
import TestSupport
import YAML

/// `tripgen-bench gitops`: syncs a 60-object environment (20 ConfigMaps, 20 Services, 20
/// Deployments from a generated chart) into the in-process test API server. Measured in the same
/// run: the first sync, an unchanged sync (its writes must be zero), a one-value change (one object
/// write), against the reference of applying all 60 objects with server-side apply as `kubectl
/// apply --server-side` would (each sent, none skipped); then the peak RSS of a `tripgen sync`
/// process on the same environment.
struct GitOpsBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gitops",
    abstract: "GitOps engine: unchanged and one-change syncs of 60 objects, tripgen sync's memory.")

  @Option(help: "Objects of each kind (ConfigMap, Service, Deployment).")
  var perKind = 20

  @Option(help: "Timed repetitions of the unchanged sync (the best is reported).")
  var runs = 5

  @Option(help: "The tripgen executable (default: beside this one).")
  var tripgen: String?

  func run() async throws {
    let server = try await KubeAPIServer()
    do {
      try await measure(server)
      await server.stop()
    } catch {
      await server.stop()
      throw error
    }
  }

  private func measure(_ server: KubeAPIServer) async throws {
    let directory = try TemporaryDirectory(prefix: "tripgen-bench-gitops")
    try writeRepository(at: directory.path, greeting: "hello")
    var configuration = KubeClientConfiguration(server: server.url, namespace: "bench-gitops")
    configuration.queriesPerSecond = 0
    let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    _ = try await client.create([
      "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "bench-gitops"],
    ])
    let engine = GitOpsEngine(client: client)
    func desired() async throws -> DesiredState {
      let files = DirectorySourceFiles(root: directory.path)
      return try EnvironmentRenderer().render(
        try EnvironmentLoader.load(name: "bench", from: files), files: files,
        revision: .benchmark, images: [])
    }
    var options = SyncOptions()
    options.trigger = "benchmark"
    func writes() -> Int {
      server.requestLog.filter {
        ["POST", "PUT", "PATCH", "DELETE"].contains($0.method) && $0.query["dryRun"] == nil
      }.count
    }

    let state = try await desired()
    let first = try await Measurement.secondsAsync {
      _ = try await engine.sync(state, options: options)
    }
    print(
      "first sync of \(state.objects.count) objects: \(format(first)) s, \(writes()) writes "
        + "(objects, inventory, history)")

    var unchanged = Double.infinity
    var unchangedWrites = 0
    for _ in 0..<runs {
      server.clearRequestLog()
      let seconds = try await Measurement.secondsAsync {
        let result = try await engine.sync(try await desired(), options: options)
        precondition(result.outcome == .unchanged, "the unchanged sync changed something")
      }
      unchanged = min(unchanged, seconds)
      unchangedWrites = max(unchangedWrites, writes())
    }
    let requests = server.requestLog.count
    let dryRuns = server.requestLog.filter { $0.query["dryRun"] != nil }.count

    // Reference: every object applied (server-side apply, force), as a tool that does not skip
    // unchanged objects does.
    // The objects exactly as the engine applies them (ApplySet membership label included), so the
    // reference leaves the cluster as the engine left it.
    let inventory = ApplySetInventory(environment: "bench", namespace: "bench-gitops")
    let objects = state.objects.map { inventory.marked($0.object) }
    server.clearRequestLog()
    var reference = Double.infinity
    for _ in 0..<runs {
      reference = min(
        reference,
        try await Measurement.secondsAsync {
          for object in objects {
            _ = try await client.apply(object, fieldManager: "tripgen", force: true)
          }
        })
    }

    try writeRepository(at: directory.path, greeting: "good morning")
    server.clearRequestLog()
    let change = try await Measurement.secondsAsync {
      _ = try await engine.sync(try await desired(), options: options)
    }
    let changeWrites = server.requestLog.filter {
      ["POST", "PUT", "PATCH", "DELETE"].contains($0.method) && $0.query["dryRun"] == nil
        && !$0.path.hasSuffix("/tripgen-history-bench")
    }.count
    print(
      "unchanged sync: \(unchangedWrites) writes, \(requests) requests (\(dryRuns) dry-run applies), best of \(runs): "
        + "\(format(unchanged)) s; reference apply-all: \(objects.count) writes, \(format(reference)) s; "
        + "ratio \(format(unchanged / reference))")
    print(
      "one-value change: \(changeWrites) object write(s) (+1 history), \(format(change)) s")

    let executable =
      tripgen
      ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("tripgen").path
    guard FileManager.default.isExecutableFile(atPath: executable) else {
      print("tripgen sync peak RSS: not measured (no executable at \(executable); pass --tripgen)")
      return
    }
    let kubeconfig = directory.path + "/kubeconfig"
    try """
    apiVersion: v1
    kind: Config
    clusters: [{name: bench, cluster: {server: "\(server.url)"}}]
    users: [{name: bench, user: {}}]
    contexts: [{name: bench, context: {cluster: bench, user: bench, namespace: bench-gitops}}]
    current-context: bench

    """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    let arguments = [
      executable, "sync", "--env", "bench", "--local", "--repo", directory.path, "--kubeconfig",
      kubeconfig,
    ]
    let unchangedRun = try Self.spawnMeasured(
      arguments, reportFile: directory.path + "/time-unchanged")
    try writeRepository(at: directory.path, greeting: "good evening")
    let changedRun = try Self.spawnMeasured(
      arguments, reportFile: directory.path + "/time-changed")
    print(
      "tripgen sync process: unchanged \(format(unchangedRun.seconds)) s, peak RSS "
        + "\(mebibytes(unchangedRun.peakResidentBytes)) MiB; one change \(format(changedRun.seconds)) s, "
        + "peak RSS \(mebibytes(changedRun.peakResidentBytes)) MiB (target < 40 MiB)")
  }

  private func format(_ value: Double) -> String { String(format: "%.3f", value) }

  private func mebibytes(_ bytes: Int) -> String {
    String(format: "%.1f", Double(bytes) / 1_048_576)
  }

  /// Runs a command with its output to /dev/null and returns its wall time and peak RSS as GNU
  /// time reports it. Not `wait4` here: posix_spawn (and Foundation's Process) start the child with
  /// the parent's memory (CLONE_VM), and Linux carries that high-water mark across exec, so the
  /// child's ru_maxrss would be this benchmark's own.
  static func spawnMeasured(_ arguments: [String], reportFile: String) throws -> (
    seconds: Double, peakResidentBytes: Int
  ) {
    let timed = ["/usr/bin/time", "-f", "%M", "-o", reportFile] + arguments
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var argv = timed.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let start = ContinuousClock.now
    let spawned = posix_spawn(&pid, timed[0], &actions, nil, &argv, environ)
    guard spawned == 0 else {
      throw BenchmarkError.referenceFailed(timed.joined(separator: " "), status: spawned)
    }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let elapsed = (ContinuousClock.now - start).asSeconds
    let report = (try? String(contentsOfFile: reportFile, encoding: .utf8)) ?? ""
    guard status == 0, let kibibytes = Int(report.trimmingCharacters(in: .whitespacesAndNewlines))
    else {
      throw BenchmarkError.referenceFailed(timed.joined(separator: " "), status: status)
    }
    return (elapsed, kibibytes * 1024)
  }

  /// An environment `bench` and its chart: `perKind` ConfigMaps (the first holds the greeting),
  /// Services and Deployments.
  private func writeRepository(at root: String, greeting: String) throws {
    let files: [String: String] = [
      "environments/bench/environment.yaml": """
      apiVersion: tripgen.io/v1alpha1
      kind: Environment
      metadata: {name: bench}
      spec:
        source: {repository: ., branch: main}
        namespace: bench-gitops
        cluster: {context: bench}
        charts: [{release: bench, path: charts/bench, values: [environments/bench/values.yaml]}]
        registry: {host: registry.bench}
        images: []
        syncPolicy: {automated: false, prune: true, selfHeal: false}

      """,
      "environments/bench/values.yaml": "greeting: \(greeting)\ncount: \(perKind)\n",
      "charts/bench/Chart.yaml": "apiVersion: v2\nname: bench\nversion: 1.0.0\n",
      "charts/bench/templates/objects.yaml": """
      {{- range $i := until (int .Values.count) }}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: "settings-{{ $i }}"}
      data:
        greeting: {{ if eq $i 0 }}{{ $.Values.greeting | quote }}{{ else }}"fixed"{{ end }}
        index: "{{ $i }}"
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: "svc-{{ $i }}"}
      spec:
        selector: {app: "svc-{{ $i }}"}
        ports: [{name: http, port: 80, targetPort: 8080}]
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: "svc-{{ $i }}"}
      spec:
        replicas: 1
        selector: {matchLabels: {app: "svc-{{ $i }}"}}
        template:
          metadata: {labels: {app: "svc-{{ $i }}"}}
          spec:
            containers:
              - name: app
                image: registry.bench/app:1.0.0
                ports: [{containerPort: 8080, name: http}]
                env: [{name: MODE, value: production}]
                resources: {requests: {cpu: 50m, memory: 64Mi}}
      {{- end }}

      """,
    ]
    for (path, text) in files {
      let url = URL(fileURLWithPath: root + "/" + path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    // A commit too: `tripgen sync --local` reads the working tree of a Git repository (image tags
    // come from HEAD).
    _ = try GitFixtureRepository(at: root).commitAll("greeting: \(greeting)")
  }
}

extension Revision {
  /// The revision the in-process benchmarks record their directory renders at.
  static let benchmark = Revision.commit(ObjectID(hex: String(repeating: "b", count: 40))!)
}
