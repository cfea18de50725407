import ArgumentParser
import Foundation
import Helm
import YAML

/// `tripgen-bench helm`: renders a generated chart of 30 templates with heavy helper use
/// (include, toYaml, toJson, range loops) in process with the Helm module, and with Helm itself
/// (Helm v4 through helm-python-sdk, a python3 subprocess timing its own render loop) on the same
/// chart and values in the same run; then renders the project's dev environment
/// (charts/tripgen with environments/dev/values.yaml), whose target is under 20 ms.
struct HelmBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "helm",
    abstract: "Chart rendering against Helm v4 (helm-python-sdk) on the same chart and values.")

  @Option(help: "Timed renders of each measurement; the best and the median are reported.")
  var runs = 50

  @Option(help: "The repository root, for charts/tripgen and environments/dev.")
  var repository = "."

  func run() async throws {
    let runs = runs
    let repository = repository
    // Files, a subprocess and long computation: keep them off the cooperative pool.
    let report = try await onOwnThread { try Self.measure(runs: runs, repository: repository) }
    print(report)
  }

  private static func measure(runs: Int, repository: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("tripgen-bench-helm-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: directory)
    try BenchChart.write(to: directory)
    defer { try? FileManager.default.removeItem(at: directory) }
    let chart = try ChartLoader.load(directory: directory.path)
    let options = ReleaseOptions(name: "bench", namespace: "bench")
    let renderer = ReleaseRenderer()

    var release = try renderer.render(chart: chart, values: [:], options: options)
    let documents = release.manifests.count
    let full = try timings(runs) {
      release = try renderer.render(chart: chart, values: [:], options: options)
    }
    let engine = TemplateEngine()
    let engineOnly = try timings(runs) {
      let processed = try ChartDependencies.process(chart, values: [:])
      _ = try engine.render(
        chart: processed, values: try Coalesce.values(processed, [:]), options: options)
    }
    let helmOutput = directory.appendingPathComponent("helm-rendered.json").path
    let reference = try HelmReference.measure(chart: directory.path, runs: runs, output: helmOutput)
    // The comparison is only fair if both produced the same bytes.
    let helmRendered = try YAML.loadOne(
      [UInt8](try Data(contentsOf: URL(fileURLWithPath: helmOutput))))
    for template in release.rendered where helmRendered[template.name]?.stringValue != template.text
    {
      throw BenchmarkError.referenceFailed(
        "Helm rendered \(template.name) differently from tripgen", status: 0)
    }

    func line(_ name: String, _ t: (best: Double, median: Double)) -> String {
      "  \(name.padding(toLength: 46, withPad: " ", startingAt: 0))"
        + String(format: "best %8.2f ms   median %8.2f ms", t.best * 1000, t.median * 1000)
    }
    var report = """
      Helm: generated chart, 30 templates, \(documents) documents (\(runs) renders each)
      \(line("tripgen ReleaseRenderer.render (+split/sort)", full))
      \(line("tripgen TemplateEngine.render", engineOnly))
      \(line("Helm v4 Chart.render (helm-python-sdk)", reference))
        ratio (Helm / tripgen engine, median): \(String(format: "%.2f", reference.median / engineOnly.median))x
      """
    report += "\n" + (try devEnvironment(runs: runs, repository: repository))
    return report
  }

  /// The dev environment: charts/tripgen with environments/dev/values.yaml and the four image
  /// tags set, against Helm on the same values.
  private static func devEnvironment(runs: Int, repository: String) throws -> String {
    let root = URL(fileURLWithPath: repository)
    let chart = try ChartLoader.load(directory: root.appendingPathComponent("charts/tripgen").path)
    let valuesPath = root.appendingPathComponent("environments/dev/values.yaml").path
    var values =
      try ChartLoader.readValues(
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: valuesPath))), file: valuesPath
      ).objectValue ?? [:]
    let services = ["user-service", "trip-service", "ai-service", "location-service"]
    for service in services {
      try SetValues.apply("\(service).image.tag=dev", to: &values)
    }
    let options = ReleaseOptions(name: "tripgen", namespace: "tripgen-dev")
    let renderer = ReleaseRenderer()
    var release = try renderer.render(chart: chart, values: values, options: options)
    let t = try timings(runs) {
      release = try renderer.render(chart: chart, values: values, options: options)
    }
    let output = FileManager.default.temporaryDirectory
      .appendingPathComponent(
        "tripgen-bench-helm-dev-\(ProcessInfo.processInfo.processIdentifier).json")
    defer { try? FileManager.default.removeItem(at: output) }
    let reference = try HelmReference.measure(
      chart: root.appendingPathComponent("charts/tripgen").path, runs: runs, output: output.path,
      name: "tripgen", namespace: "tripgen-dev",
      values: ["file:" + valuesPath] + services.map { "set:\($0).image.tag=dev" })
    let helmRendered = try YAML.loadOne([UInt8](try Data(contentsOf: output)))
    for template in release.rendered
    where helmRendered[template.name]?.stringValue != template.text {
      throw BenchmarkError.referenceFailed(
        "Helm rendered \(template.name) differently from tripgen", status: 0)
    }
    return "Helm: dev environment, charts/tripgen + environments/dev/values.yaml"
      + ", \(release.manifests.count) "
      + "manifests and \(release.hooks.count) hooks (target < 20 ms)\n"
      + String(
        format: "  %@best %8.2f ms   median %8.2f ms\n",
        "tripgen ReleaseRenderer.render".padding(toLength: 46, withPad: " ", startingAt: 0),
        t.best * 1000, t.median * 1000)
      + String(
        format: "  %@best %8.2f ms   median %8.2f ms",
        "Helm v4 Chart.render (helm-python-sdk)".padding(toLength: 46, withPad: " ", startingAt: 0),
        reference.best * 1000,
        reference.median * 1000)
  }

  private static func timings(_ runs: Int, _ body: () throws -> Void) throws -> (
    best: Double, median: Double
  ) {
    for _ in 0..<3 { try body() }  // warm up, as the Python script does
    var samples: [Double] = []
    for _ in 0..<runs { samples.append(try Measurement.seconds(body)) }
    samples.sort()
    return (samples.first ?? 0, samples[samples.count / 2])
  }
}

/// Helm v4's own engine through helm-python-sdk, timing its render loop inside Python so that
/// process start-up and chart loading are not counted (each render still crosses the ctypes
/// boundary with the values and the result as JSON).
private enum HelmReference {
  static let script = """
    import json, sys, time, helm_python
    chart_path, runs, output, name, namespace = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    def merge_maps(a, b):
        out = dict(a)
        for k, v in b.items():
            out[k] = merge_maps(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
        return out
    values = {}
    for argument in sys.argv[6:]:
        kind, _, text = argument.partition(":")
        if kind == "file":
            values = merge_maps(values, helm_python.values_from_yaml(open(text).read()))
        else:
            values = merge_maps(values, helm_python.parse_set_string(text))
    chart = helm_python.Chart.load(chart_path)
    with open(output, "w") as out:
        json.dump(chart.render(values, name=name, namespace=namespace, is_install=True), out)
    for _ in range(3):
        chart.render(values, name=name, namespace=namespace, is_install=True)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        chart.render(values, name=name, namespace=namespace, is_install=True)
        samples.append(time.perf_counter() - start)
    samples.sort()
    print(f"best={samples[0]:.6f} median={samples[len(samples) // 2]:.6f}")
    """

  /// Helm's timings; Helm's rendered templates are written to `output` (JSON) for comparison.
  /// `values` are `file:PATH` (a values file) and `set:EXPR` (a --set expression), in order.
  static func measure(
    chart: String, runs: Int, output: String, name: String = "bench",
    namespace: String = "bench", values: [String] = []
  ) throws -> (best: Double, median: Double) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["python3", "-c", script, chart, String(runs), output, name, namespace] + values
    let output = Pipe()
    process.standardOutput = output
    do { try process.run() } catch {
      throw BenchmarkError.missingTool("python3", hint: "install python3 (scripts/setup)")
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw BenchmarkError.missingTool(
        "helm-python-sdk", hint: "pip install helm-python-sdk (scripts/python-packages.txt)")
    }
    let text = String(decoding: data, as: UTF8.self)
    var fields: [String: Double] = [:]
    for part in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
      let pair = part.split(separator: "=", maxSplits: 1)
      if pair.count == 2 { fields[String(pair[0])] = Double(pair[1]) }
    }
    guard let best = fields["best"], let median = fields["median"] else {
      throw BenchmarkError.referenceFailed("helm-python-sdk script printed: \(text)", status: 0)
    }
    return (best, median)
  }
}

/// A chart of 30 templates in the style of real service charts: each renders a Deployment, a
/// Service and a ConfigMap through shared helpers, loops over ports and environment variables,
/// and serialises values with toYaml and toJson. Only Go's built-ins and Helm's own functions
/// are used, so it renders before Sprig is wired in.
private enum BenchChart {
  static let count = 30

  static func write(to directory: URL) throws {
    let templates = directory.appendingPathComponent("templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    func put(_ path: String, _ text: String) throws {
      try Data(text.utf8).write(to: directory.appendingPathComponent(path))
    }
    try put("Chart.yaml", "apiVersion: v2\nname: bench\nversion: 1.0.0\nappVersion: \"2.0\"\n")
    try put("values.yaml", values())
    try put("templates/_helpers.tpl", helpers)
    for index in 0..<count {
      try put("templates/service-\(index).yaml", template(index))
    }
  }

  static func values() -> String {
    var text = "global:\n  registry: registry.example.com\n  pullPolicy: IfNotPresent\nservices:\n"
    for index in 0..<count {
      text += """
          - name: svc-\(index)
            image: team/svc-\(index)
            tag: "1.\(index).0"
            replicas: \(index % 4 + 1)
            ports: [{name: http, port: 8080}, {name: metrics, port: 9090}, {name: grpc, port: 50051}]
            env:

        """
      for variable in 0..<10 {
        text += "        - {name: VAR_\(variable), value: \"value-\(index)-\(variable)\"}\n"
      }
      text += """
            resources:
              requests: {cpu: \(100 + index)m, memory: 256Mi}
              limits: {cpu: 1000m, memory: 1Gi}
            config:
              logLevel: info
              features: [a, b, c]
              database: {host: db-\(index), port: 5432, pool: 10}

        """
    }
    return text
  }

  static let helpers = """
    {{- define "bench.name" -}}{{ .release }}-{{ .svc.name }}{{- end -}}
    {{- define "bench.labels" -}}
    app.kubernetes.io/name: {{ .svc.name }}
        app.kubernetes.io/instance: {{ .release }}
        app.kubernetes.io/version: {{ .appVersion | printf "%q" }}
        app.kubernetes.io/managed-by: {{ .service }}
        helm.sh/chart: {{ printf "%s-%s" .chart .version }}
    {{- end -}}
    {{- define "bench.selector" -}}
    {app.kubernetes.io/name: {{ .svc.name }}, app.kubernetes.io/instance: {{ .release }}}
    {{- end -}}
    {{- define "bench.image" -}}
    {{ .registry }}/{{ .svc.image }}:{{ .svc.tag }}
    {{- end -}}
    {{- define "bench.ports" -}}
    {{- range .svc.ports }}
                - name: {{ .name }}
                  containerPort: {{ .port }}
    {{- end }}
    {{- end -}}
    {{- define "bench.env" -}}
    {{- range .svc.env }}
                - name: {{ .name }}
                  value: {{ .value | printf "%q" }}
    {{- end }}
    {{- end -}}
    """

  static func template(_ index: Int) -> String {
    """
    {{- $svc := index .Values.services \(index) }}
    {{- $ctx := fromJson (printf `{"svc": %s, "release": %q, "service": %q, "chart": %q, "version": %q, "appVersion": %q, "registry": %q}` (toJson $svc) .Release.Name .Release.Service .Chart.Name .Chart.Version .Chart.AppVersion .Values.global.registry) }}
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: {{ include "bench.name" $ctx }}
      labels:
        {{ include "bench.labels" $ctx }}
    spec:
      replicas: {{ $svc.replicas }}
      selector:
        matchLabels: {{ include "bench.selector" $ctx }}
      template:
        metadata:
          labels: {{ include "bench.selector" $ctx }}
          annotations:
            config-length: {{ toJson $svc.config | len | printf "%d" | printf "%q" }}
        spec:
          containers:
            - name: {{ $svc.name }}
              image: {{ include "bench.image" $ctx | printf "%q" }}
              imagePullPolicy: {{ .Values.global.pullPolicy }}
              ports:
    {{- include "bench.ports" $ctx }}
              env:
    {{- include "bench.env" $ctx }}
              resources: {{ toJson $svc.resources }}
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: {{ include "bench.name" $ctx }}
      labels:
        {{ include "bench.labels" $ctx }}
    spec:
      selector: {{ include "bench.selector" $ctx }}
      ports:
      {{- range $svc.ports }}
        - {name: {{ .name }}, port: {{ .port }}, targetPort: {{ .name }}}
      {{- end }}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: {{ include "bench.name" $ctx }}-config
      labels:
        {{ include "bench.labels" $ctx }}
    data:
      config.yaml: {{ toYaml $svc.config | printf "%q" }}
      config.json: {{ toJson $svc.config | printf "%q" }}

    """
  }
}

private func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws
  -> T
{
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Result { try body() }) }
    thread.stackSize = 64 << 20
    thread.start()
  }
}
