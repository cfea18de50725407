import Foundation
import Helm
import TestSupport
import Testing
import YAML

/// The TripGen environments rendered with our Helm engine: every number of the design document
/// (the dev environment specification) is where it should be, and every object validates against the Kubernetes
/// 1.29 schemas (`kubernetes-validate --strict`, from PyPI).
@Suite struct EnvironmentRenderTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func render(environment: String, extra: ValueTable = [:]) throws -> RenderedRelease {
    let chart = try ChartLoader.load(directory: root.appendingPathComponent("charts/tripgen").path)
    let file = "environments/\(environment)/values.yaml"
    let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent(file)))
    guard case .object(let values) = try ChartLoader.readValues(bytes, file: file) else {
      throw ChartTestError.notAnObject(file)
    }
    return try ReleaseRenderer().render(
      chart: chart, values: Coalesce.mergeUserValues(values, extra),
      options: ReleaseOptions(name: "tripgen", namespace: "tripgen-dev"))
  }

  static let devImageTags: ValueTable = [
    "user-service": ["image": ["tag": "dev"]], "trip-service": ["image": ["tag": "dev"]],
    "ai-service": ["image": ["tag": "dev"]], "location-service": ["image": ["tag": "dev"]],
  ]

  static func object(_ release: RenderedRelease, kind: String, name: String) -> JSONValue? {
    release.objects.map(\.object).first {
      $0["kind"]?.stringValue == kind && $0["metadata"]?["name"]?.stringValue == name
    }
  }

  /// The application services table of the design document: requests, limits, replicas.
  static let services:
    [(name: String, cpu: String, memory: String, cpuLimit: String, memoryLimit: String)] = [
      ("user-service", "100m", "256Mi", "500m", "512Mi"),
      ("trip-service", "200m", "512Mi", "1000m", "1Gi"),
      ("ai-service", "300m", "512Mi", "1500m", "1Gi"),
      ("location-service", "100m", "256Mi", "500m", "512Mi"),
    ]

  @Test(arguments: services)
  func applicationServiceMatchesTheSpec(
    service: (name: String, cpu: String, memory: String, cpuLimit: String, memoryLimit: String)
  ) throws {
    let release = try Self.render(environment: "dev", extra: Self.devImageTags)
    let deployment = try #require(Self.object(release, kind: "Deployment", name: service.name))
    #expect(deployment["metadata"]?["namespace"] == "tripgen-dev")
    #expect(deployment["spec"]?["replicas"] == 1)
    let pod = try #require(deployment["spec"]?["template"])
    #expect(pod["metadata"]?["labels"]?["tier"] == "application")
    let container = try #require(pod["spec"]?["containers"]?[0])
    #expect(container["image"]?.stringValue == "tripgendev.azurecr.io/\(service.name):dev")
    #expect(container["imagePullPolicy"] == "Always")
    #expect(container["resources"]?["requests"]?["cpu"]?.stringValue == service.cpu)
    #expect(container["resources"]?["requests"]?["memory"]?.stringValue == service.memory)
    #expect(container["resources"]?["limits"]?["cpu"]?.stringValue == service.cpuLimit)
    #expect(container["resources"]?["limits"]?["memory"]?.stringValue == service.memoryLimit)
    #expect(container["ports"]?[0]?["containerPort"] == 8080)
    for (probe, path) in [
      ("readinessProbe", "/actuator/health/readiness"),
      ("livenessProbe", "/actuator/health/liveness"),
    ] {
      #expect(container[probe]?["httpGet"]?["path"]?.stringValue == path)
      #expect(container[probe]?["periodSeconds"] == 30)
      #expect(container[probe]?["timeoutSeconds"] == 5)
    }
    #expect(container["securityContext"]?["readOnlyRootFilesystem"] == true)
    let serviceObject = try #require(Self.object(release, kind: "Service", name: service.name))
    #expect(serviceObject["spec"]?["ports"]?[0]?["port"] == 8080)
    // One replica: no PodDisruptionBudget, which would block node drains.
    #expect(Self.object(release, kind: "PodDisruptionBudget", name: service.name) == nil)
  }

  @Test func backingServicesMatchTheSpec() throws {
    let release = try Self.render(environment: "dev", extra: Self.devImageTags)
    let postgres = try #require(Self.object(release, kind: "StatefulSet", name: "postgresql"))
    let db = try #require(postgres["spec"]?["template"]?["spec"]?["containers"]?[0])
    #expect(db["image"] == "postgres:16-alpine")
    #expect(db["resources"]?["requests"] == ["cpu": "500m", "memory": "1Gi"])
    #expect(db["resources"]?["limits"] == ["cpu": "1000m", "memory": "2Gi"])
    let arguments = db["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
    for setting in [
      "max_connections=100", "shared_buffers=256MB", "effective_cache_size=1GB", "work_mem=4MB",
      "wal_buffers=16MB",
    ] {
      #expect(arguments.contains(setting), "postgresql setting \(setting)")
    }
    let claim = try #require(postgres["spec"]?["volumeClaimTemplates"]?[0]?["spec"])
    #expect(claim["storageClassName"] == "managed-csi")
    #expect(claim["accessModes"] == ["ReadWriteOnce"])
    #expect(claim["resources"]?["requests"]?["storage"] == "50Gi")
    #expect(db["volumeMounts"]?[0]?["mountPath"] == "/var/lib/postgresql/data")
    #expect(
      Self.object(release, kind: "Service", name: "postgresql")?["spec"]?["ports"]?[0]?["port"]
        == 5432)

    let redis = try #require(Self.object(release, kind: "StatefulSet", name: "redis"))
    let cache = try #require(redis["spec"]?["template"]?["spec"]?["containers"]?[0])
    #expect(cache["image"] == "redis:7.2-alpine")
    #expect(cache["resources"]?["requests"] == ["cpu": "100m", "memory": "512Mi"])
    #expect(cache["resources"]?["limits"] == ["cpu": "500m", "memory": "1Gi"])
    let redisArguments = cache["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
    for pair in [
      ["--maxmemory", "800mb"], ["--maxmemory-policy", "allkeys-lru"], ["--save", ""],
      ["--appendonly", "no"],
    ] {
      let index = try #require(redisArguments.firstIndex(of: pair[0]), "redis \(pair[0])")
      #expect(redisArguments[index + 1] == pair[1])
    }
  }

  @Test func networkPoliciesAndDataInitJobsMatchTheSpec() throws {
    let release = try Self.render(environment: "dev", extra: Self.devImageTags)
    for name in [
      "allow-ingress-to-apps", "allow-apps-to-db", "allow-apps-to-cache", "allow-external-api",
    ] {
      #expect(
        Self.object(release, kind: "NetworkPolicy", name: name) != nil, "NetworkPolicy \(name)")
    }
    let toDatabase = try #require(
      Self.object(release, kind: "NetworkPolicy", name: "allow-apps-to-db"))
    #expect(toDatabase["spec"]?["podSelector"]?["matchLabels"] == ["app": "postgresql"])
    #expect(
      toDatabase["spec"]?["ingress"]?[0]?["from"]?[0]?["podSelector"]?["matchLabels"] == [
        "tier": "application"
      ])
    #expect(toDatabase["spec"]?["ingress"]?[0]?["ports"] == [["protocol": "TCP", "port": 5432]])

    // Hooks after the install, in order: schema, sample data, validation.
    let jobs = release.hooks.map(\.manifest.object).filter { $0["kind"] == "Job" }
    #expect(
      jobs.compactMap { $0["metadata"]?["name"]?.stringValue }
        == ["database-schema-init", "database-sample-data", "database-validation"])
    for job in jobs {
      #expect(job["spec"]?["backoffLimit"] == 3)
      let pod = job["spec"]?["template"]?["spec"]
      #expect(pod?["restartPolicy"] == "Never")
      #expect(
        pod?["containers"]?[0]?["resources"]?["requests"] == ["cpu": "100m", "memory": "128Mi"])
      #expect(
        pod?["containers"]?[0]?["resources"]?["limits"] == ["cpu": "500m", "memory": "256Mi"])
    }
    let scripts = try #require(
      Self.object(release, kind: "ConfigMap", name: "database-init-scripts"))
    #expect(
      scripts["data"]?.objectValue?.keys.sorted() == [
        "sample-data.sql", "schema.sql", "validate.sql",
      ])
  }

  @Test func noSecretValueIsRendered() throws {
    let release = try Self.render(environment: "dev", extra: Self.devImageTags)
    #expect(!release.objects.contains { $0.object["kind"] == "Secret" })
  }

  @Test(arguments: ["dev", "local"])
  func everyObjectValidatesAgainstKubernetes129(environment: String) throws {
    let release = try Self.render(
      environment: environment, extra: environment == "dev" ? Self.devImageTags : [:])
    let scratch = try TemporaryDirectory()
    let file = scratch.file("\(environment).yaml")
    try YAML.dumpAll(release.objects.map(\.object)).write(
      to: file, atomically: true, encoding: .utf8)
    let result = try Command.run(["kubernetes-validate", "-k", "1.29.0", "--strict", file.path])
    #expect(result.succeeded, "\(result.standardOutput)\(result.standardError)")
    #expect(release.objects.count == 22)
  }

  @Test func aDigestThatIsNotOneIsRejectedByTheSchema() throws {
    var extra = Self.devImageTags
    extra["user-service"] = ["image": ["digest": "sha256:not-hex"]]
    #expect(throws: HelmError.self) { try Self.render(environment: "dev", extra: extra) }
  }
}

enum ChartTestError: Error {
  case notAnObject(String)
}
