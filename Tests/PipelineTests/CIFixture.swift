import Foundation
import TestSupport

/// A small repository shaped like this one, for the end-to-end tests of `tripgen ci`: a package
/// with four executable products named like the services (each prints one line: building the real
/// services in release mode takes many minutes on 2 cores, these take seconds, and the CI step
/// treats them the same), a chart with a Deployment per service, and an environment `ci` that
/// pushes to the test registry and plans against the test API server.
struct CIFixture {
  static let services = ["user-service", "trip-service", "ai-service", "location-service"]

  let scratch: TemporaryDirectory
  let repository: GitFixtureRepository
  let kubeconfig: String

  init(registryHost: String, kubeServer: String) throws {
    scratch = try TemporaryDirectory(prefix: "tripgen-ci")
    repository = try GitFixtureRepository(at: scratch.path + "/repo")
    kubeconfig = scratch.path + "/kubeconfig"
    try """
    apiVersion: v1
    kind: Config
    current-context: test
    clusters:
    - name: test
      cluster: {server: "\(kubeServer)"}
    contexts:
    - name: test
      context: {cluster: test, user: ci}
    users:
    - name: ci
      user: {}
    """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)

    try repository.write(".gitignore", ".build/\n.tripgen/\n")
    try repository.write("Package.swift", Self.packageManifest)
    for service in Self.services { try writeService(service, greeting: "hello") }
    try repository.write(
      "charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\ntype: application\n")
    try repository.write("charts/app/values.yaml", Self.chartValues)
    try repository.write("charts/app/templates/deployment.yaml", Self.deploymentTemplate)
    try repository.write("environments/ci/values.yaml", "replicas: 1\n")
    try repository.write("environments/ci/environment.yaml", Self.environment(registryHost))
  }

  func writeService(_ service: String, greeting: String) throws {
    try repository.write(
      "Sources/\(service)/main.swift", "print(\"\(greeting) from \(service)\")\n")
  }

  /// Line 7 of the template is the metadata line.
  static let brokenTemplateLine = 7

  func breakChart() throws {
    let broken = Self.deploymentTemplate.replacingOccurrences(
      of: "annotations: {image: \"{{ $ref }}\"}",
      with: "annotations: {image: \"{{ $ref | noSuchFunction }}\"}")
    try repository.write("charts/app/templates/deployment.yaml", broken)
  }

  /// A chart that renders but fails `tripgen check`: no readiness probe.
  func dropReadinessProbe() throws {
    let lines = Self.deploymentTemplate.split(separator: "\n", omittingEmptySubsequences: false)
    try repository.write(
      "charts/app/templates/deployment.yaml",
      lines.filter { !$0.contains("readinessProbe") }.joined(separator: "\n"))
  }

  static let packageManifest = """
    // swift-tools-version: 6.1
    import PackageDescription

    let package = Package(
      name: "fixture",
      products: [
        .executable(name: "user-service", targets: ["user-service"]),
        .executable(name: "trip-service", targets: ["trip-service"]),
        .executable(name: "ai-service", targets: ["ai-service"]),
        .executable(name: "location-service", targets: ["location-service"]),
      ],
      targets: [
        .executableTarget(name: "user-service"),
        .executableTarget(name: "trip-service"),
        .executableTarget(name: "ai-service"),
        .executableTarget(name: "location-service"),
      ]
    )

    """

  static let chartValues = """
    replicas: 1
    services: [user-service, trip-service, ai-service, location-service]
    user-service: {image: {registry: "", repository: user-service, tag: "", digest: ""}}
    trip-service: {image: {registry: "", repository: trip-service, tag: "", digest: ""}}
    ai-service: {image: {registry: "", repository: ai-service, tag: "", digest: ""}}
    location-service: {image: {registry: "", repository: location-service, tag: "", digest: ""}}

    """

  static let deploymentTemplate = """
    {{- range $name := .Values.services }}
    {{- $image := (index $.Values $name).image }}
    {{- $ref := printf "%s/%s%s" $image.registry $image.repository (ternary (printf "@%s" $image.digest) (printf ":%s" $image.tag) (ne $image.digest "")) }}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: {{ $name }}, annotations: {image: "{{ $ref }}"}}
    spec:
      replicas: {{ $.Values.replicas }}
      selector: {matchLabels: {app: {{ $name }}}}
      template:
        metadata: {labels: {app: {{ $name }}}}
        spec:
          containers:
            - name: app
              image: "{{ $ref }}"
              resources:
                requests: {cpu: 50m, memory: 64Mi}
                limits: {cpu: 200m, memory: 128Mi}
              readinessProbe: {httpGet: {path: /actuator/health/readiness, port: 8080}}
              livenessProbe: {httpGet: {path: /actuator/health/liveness, port: 8080}}
    {{- end }}

    """

  static func environment(_ registryHost: String) -> String {
    var text = """
      apiVersion: tripgen.io/v1alpha1
      kind: Environment
      metadata: {name: ci}
      spec:
        source: {repository: ., branch: main}
        namespace: default
        cluster: {required: false}
        charts:
          - release: app
            path: charts/app
            values: [environments/ci/values.yaml]
        registry: {host: "\(registryHost)"}
        images:

      """
    for service in services {
      text += """
            - name: \(service)
              sourcePaths: [Package.swift, Sources/\(service)]
              values: \(service).image

        """
    }
    text += """
        syncPolicy: {automated: false, prune: true, selfHeal: false}

      """
    return text
  }
}
