import ArgumentParser
import CYAML
import Foundation
import YAML

/// `tripgen-bench yaml`: parses and emits a generated ~20 MB Kubernetes manifest stream with the YAML
/// module and with PyYAML's libyaml-based CSafeLoader/CSafeDumper, in the same run, and prints the
/// throughput of each and their ratio.
struct YAMLBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "yaml",
    abstract: "YAML parse and emit throughput against PyYAML's libyaml-based C loader and dumper.")

  @Option(help: "Approximate size of the generated manifest stream, in MB.")
  var megabytes = 20

  @Option(help: "Timed runs of each measurement; the best is reported.")
  var runs = 3

  @Option(
    help: "Also save the generated manifest stream to this path (to profile other tools on it).")
  var saveInput: String?

  func run() async throws {
    let megabytes = megabytes
    let runs = runs
    let saveInput = saveInput
    // Everything below blocks (file I/O, a subprocess, long computation): keep it off the
    // cooperative pool.
    let report = try await onDedicatedThread {
      try Self.measure(megabytes: megabytes, runs: runs, saveInput: saveInput)
    }
    print(report)
  }

  private static func measure(megabytes: Int, runs: Int, saveInput: String?) throws -> String {
    let manifest = ManifestGenerator.stream(bytes: megabytes * 1_000_000)
    if let saveInput { try Data(manifest.utf8).write(to: URL(fileURLWithPath: saveInput)) }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("tripgen-bench-yaml-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("manifests.yaml")
    try Data(manifest.utf8).write(to: file)
    let bytes = [UInt8](try Data(contentsOf: file))
    let size = Double(bytes.count) / 1_000_000

    // Each timed run starts with the previous result freed, so only parsing (or emitting) is timed,
    // not the deallocation of the last run's values. The Python script does the same.
    var documents: [JSONValue] = []
    var parseSeconds = Double.infinity
    for _ in 0..<runs {
      documents = []
      parseSeconds = min(
        parseSeconds, try Measurement.seconds { documents = try YAML.load(bytes, file: file.path) })
    }
    // The floor: libyaml producing the events alone, with nothing built from them.
    let eventsOnlySeconds = try Measurement.best(of: runs) { try LibYAMLFloor.parseEvents(bytes) }
    var emitted = ""
    var emitSeconds = Double.infinity
    for _ in 0..<runs {
      emitted = ""
      emitSeconds = min(emitSeconds, Measurement.seconds { emitted = YAML.dumpAll(documents) })
    }
    guard try YAML.load(emitted) == documents else {
      throw BenchmarkError.referenceFailed("our own round trip differs", status: 0)
    }
    let peak = Measurement.peakResidentBytes()
    let reference = try PyYAMLReference.measure(file: file, runs: runs)

    func line(_ name: String, _ seconds: Double) -> String {
      "  \(name.padding(toLength: 34, withPad: " ", startingAt: 0))"
        + String(format: "%8.3f s  %8.1f MB/s", seconds, size / seconds)
    }
    return """
      YAML: \(documents.count) documents, \(String(format: "%.1f", size)) MB (best of \(runs))
      \(line("parse  tripgen YAML.load", parseSeconds))
      \(line("parse  PyYAML CSafeLoader", reference.parseSeconds))
      \(line("parse  libyaml events only (floor)", eventsOnlySeconds))
        parse ratio (tripgen / PyYAML throughput): \(String(format: "%.2f", reference.parseSeconds / parseSeconds))x
      \(line("emit   tripgen YAML.dumpAll", emitSeconds))
      \(line("emit   PyYAML CSafeDumper", reference.emitSeconds))
        emit ratio (tripgen / PyYAML throughput): \(String(format: "%.2f", reference.emitSeconds / emitSeconds))x
        tripgen peak RSS: \(formatBytes(peak)) (whole benchmark process: input, documents, output)
      """
  }
}

/// Runs `body` on its own thread and awaits its result.
private func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws
  -> T
{
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Result { try body() }) }
    thread.stackSize = 64 << 20
    thread.start()
  }
}

/// libyaml's parser alone, reading every event of the stream and discarding it.
private enum LibYAMLFloor {
  static func parseEvents(_ bytes: [UInt8]) throws {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) != 0 else {
      throw BenchmarkError.referenceFailed("yaml_parser_initialize", status: 0)
    }
    defer { yaml_parser_delete(&parser) }
    try bytes.withUnsafeBufferPointer { buffer in
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      var event = yaml_event_t()
      var done = false
      while !done {
        guard yaml_parser_parse(&parser, &event) != 0 else {
          throw BenchmarkError.referenceFailed("libyaml rejected the generated stream", status: 0)
        }
        done = event.type == YAML_STREAM_END_EVENT
        yaml_event_delete(&event)
      }
    }
  }
}

/// PyYAML run by python3, timing only its own load and dump (not interpreter start-up or file
/// reading) and printing the timings for us to read.
private enum PyYAMLReference {
  static let script = """
    import sys, time, yaml
    if not getattr(yaml, "__with_libyaml__", False):
        sys.exit("PyYAML is built without libyaml")
    data = open(sys.argv[1], "rb").read()
    runs = int(sys.argv[2])
    best_load = best_dump = float("inf")
    docs = None
    for _ in range(runs):
        docs = None
        start = time.perf_counter()
        docs = list(yaml.load_all(data, Loader=yaml.CSafeLoader))
        best_load = min(best_load, time.perf_counter() - start)
    for _ in range(runs):
        out = None
        start = time.perf_counter()
        out = yaml.dump_all(docs, Dumper=yaml.CSafeDumper, default_flow_style=False, sort_keys=False,
                      allow_unicode=True)
        best_dump = min(best_dump, time.perf_counter() - start)
    print(f"documents={len(docs)} load={best_load:.6f} dump={best_dump:.6f}")
    """

  static func measure(file: URL, runs: Int) throws -> (parseSeconds: Double, emitSeconds: Double) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, file.path, String(runs)]
    let output = Pipe()
    process.standardOutput = output
    do { try process.run() } catch {
      throw BenchmarkError.missingTool(
        "python3", hint: "install python3 and PyYAML (scripts/setup)")
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw BenchmarkError.missingTool(
        "PyYAML with libyaml", hint: "pip install PyYAML (scripts/python-packages.txt)")
    }
    let text = String(decoding: data, as: UTF8.self)
    var fields: [String: Double] = [:]
    for part in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
      let pair = part.split(separator: "=", maxSplits: 1)
      if pair.count == 2 { fields[String(pair[0])] = Double(pair[1]) }
    }
    guard let load = fields["load"], let dump = fields["dump"] else {
      throw BenchmarkError.referenceFailed("python3 PyYAML script printed: \(text)", status: 0)
    }
    return (load, dump)
  }
}

/// Deterministic Kubernetes manifests: Deployments, Services and ConfigMaps with the fields real
/// ones carry (labels, annotations, resources, probes, env, multi-line scripts and configs).
private enum ManifestGenerator {
  static func stream(bytes target: Int) -> String {
    var text = ""
    text.reserveCapacity(target + 10_000)
    var index = 0
    while text.utf8.count < target {
      switch index % 3 {
      case 0: text += deployment(index)
      case 1: text += service(index)
      default: text += configMap(index)
      }
      text += "---\n"
      index += 1
    }
    return text
  }

  static let teams = ["payments", "search", "identity", "booking", "notifications", "pricing"]

  static func name(_ index: Int) -> String { "\(teams[index % teams.count])-svc-\(index / 3)" }

  static func deployment(_ index: Int) -> String {
    let name = name(index)
    let team = teams[index % teams.count]
    return """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: \(name)
        namespace: tripgen-\(team)
        labels:
          app.kubernetes.io/name: \(name)
          app.kubernetes.io/part-of: tripgen
          app.kubernetes.io/version: "1.\(index % 40).\(index % 7)"
          team: \(team)
        annotations:
          deployment.kubernetes.io/revision: "\(index % 13 + 1)"
          tripgen.io/commit: 3f9a\(String(index, radix: 16))c0ffee
      spec:
        replicas: \(index % 5 + 1)
        revisionHistoryLimit: 10
        progressDeadlineSeconds: 600
        selector:
          matchLabels:
            app.kubernetes.io/name: \(name)
        strategy:
          type: RollingUpdate
          rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
        template:
          metadata:
            labels:
              app.kubernetes.io/name: \(name)
              team: \(team)
          spec:
            serviceAccountName: \(name)
            automountServiceAccountToken: false
            terminationGracePeriodSeconds: 30
            securityContext:
              runAsNonRoot: true
              runAsUser: 10001
              fsGroup: 10001
            containers:
            - name: app
              image: registry.tripgen.io/\(team)/\(name):1.\(index % 40).\(index % 7)
              imagePullPolicy: IfNotPresent
              args: ["--port=8080", "--log-format=json", "--metrics"]
              ports:
              - {name: http, containerPort: 8080, protocol: TCP}
              - {name: metrics, containerPort: 9090, protocol: TCP}
              env:
              - name: DATABASE_URL
                valueFrom:
                  secretKeyRef: {name: \(name)-db, key: url}
              - name: FEATURE_FLAGS
                value: "on"
              - name: CACHE_TTL_SECONDS
                value: "\(index % 600)"
              - name: SAMPLE_RATIO
                value: "0.\(index % 100)"
              resources:
                requests: {cpu: \(index % 4 * 100 + 100)m, memory: \(index % 8 * 64 + 128)Mi}
                limits: {cpu: "\(index % 2 + 1)", memory: \(index % 8 * 128 + 256)Mi}
              readinessProbe:
                httpGet: {path: /healthz/ready, port: http}
                initialDelaySeconds: 5
                periodSeconds: 10
                failureThreshold: 3
              livenessProbe:
                httpGet: {path: /healthz/live, port: http}
                initialDelaySeconds: 15
                timeoutSeconds: 2.5
              lifecycle:
                preStop:
                  exec:
                    command:
                    - /bin/sh
                    - -c
                    - |
                      echo "draining \(name)"
                      sleep 5
                      kill -TERM 1
              volumeMounts:
              - {name: config, mountPath: /etc/\(team), readOnly: true}
            volumes:
            - name: config
              configMap: {name: \(name)-config}

      """
  }

  static func service(_ index: Int) -> String {
    let name = name(index)
    return """
      apiVersion: v1
      kind: Service
      metadata:
        name: \(name)
        namespace: tripgen-\(teams[index % teams.count])
        labels: {app.kubernetes.io/name: \(name), app.kubernetes.io/part-of: tripgen}
        annotations:
          prometheus.io/scrape: "true"
          prometheus.io/port: "9090"
      spec:
        type: ClusterIP
        sessionAffinity: None
        selector:
          app.kubernetes.io/name: \(name)
        ports:
        - name: http
          port: 80
          targetPort: http
          protocol: TCP
        - name: metrics
          port: 9090
          targetPort: 9090
          protocol: TCP

      """
  }

  static func configMap(_ index: Int) -> String {
    let name = name(index)
    return """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: \(name)-config
        namespace: tripgen-\(teams[index % teams.count])
      data:
        LOG_LEVEL: info
        MAX_CONNECTIONS: "\(index % 200 + 50)"
        ENABLE_TRACING: "true"
        application.yaml: |
          server:
            port: 8080
            shutdown: graceful
          cache:
            ttl: \(index % 600)s
            size: \(index % 1000 * 10)
          upstreams:
            - name: pricing
              url: http://pricing-svc.tripgen-pricing:80
              timeout: 2.5s
            - name: identity
              url: http://identity-svc.tripgen-identity:80
              retries: \(index % 4)
        nginx.conf: |
          worker_processes auto;
          events { worker_connections 1024; }
          http {
            server {
              listen 8080;
              location / { proxy_pass http://127.0.0.1:9000; }
            }
          }

      """
  }
}
