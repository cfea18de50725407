import Checks
import Environments
import Foundation
import Testing
import YAML

/// `tripgen check` on the checked-in environments, and on copies broken on purpose: each mistake is
/// reported with the object (or file), where it came from and the field.
@Suite struct EnvironmentCheckTests {
  static let mebibyte = 1024.0 * 1024

  @Test func devPassesWithTheSpecsNumbers() throws {
    let report = try CheckFixtures.check("dev")
    #expect(report.passed, "\(report.text)")
    let capacity = try #require(report.capacity)
    // Requests: the four services (700m, 1536Mi), PostgreSQL (500m, 1Gi), Redis (100m, 512Mi), the
    // controller (50m, 64Mi) and the largest data-init hook (100m, 128Mi).
    #expect(abs(capacity.requestedCPU - 1.45) < 1e-9)
    #expect(capacity.requestedMemory == 3264 * Self.mebibyte)
    #expect(abs(capacity.allocatableCPU - 3.8) < 1e-9)
    #expect(capacity.allocatableMemory == 2 * 3346 * Self.mebibyte)
    #expect(capacity.pods == 8)
    #expect(capacity.podCapacity == 60)
    #expect(capacity.rows.last?.note == "largest of 3 hooks (they run one at a time)")
    // Limits: 6000m CPU (5500m of the spec's workloads + the controller's 500m) overcommit 3800m; the
    // warning names the largest consumers.
    let overcommit = try #require(report.warnings.first { $0.message.hasPrefix("CPU limits") })
    #expect(overcommit.message.contains("6000m"))
    #expect(overcommit.message.contains("Deployment tripgen-dev/ai-service 1500m"))
    let cost = try #require(report.cost)
    #expect(cost.total == 170)
    #expect(cost.awakeHoursPerWeek == 60)
    // The node pool line (120 USD) sleeps 108 of 168 hours.
    #expect(abs(cost.scheduleSavings - 120 * 108 / 168) < 1e-9)
    #expect(report.text.contains("PASS"))
    #expect(report.text.contains("allocatable (2 x Standard_B2s)"))
  }

  @Test func localPassesWithoutPoolOrBudget() throws {
    let report = try CheckFixtures.check("local")
    #expect(report.passed, "\(report.text)")
    #expect(report.capacity == nil && report.cost == nil)
    #expect(report.skipped.count == 2)
  }

  @Test func aRequestTooLargeForThePoolFails() throws {
    let files = CheckFixtures.editing(
      "environments/dev/values.yaml", in: CheckFixtures.repositoryFiles()
    ) {
      $0.replacingOccurrences(
        of: "requests: {cpu: 500m, memory: 1Gi}", with: "requests: {cpu: 500m, memory: 5Gi}")
    }
    let report = try CheckFixtures.check("dev", files: files)
    #expect(!report.passed)
    let pod = try #require(
      report.errors.first { $0.object == "StatefulSet tripgen-dev/postgresql" })
    #expect(pod.check == .capacity)
    #expect(pod.message.contains("5120Mi memory, more than one Standard_B2s node can give"))
    #expect(pod.source == "tripgen/charts/postgresql/templates/statefulset.yaml")
    let total = try #require(report.errors.first { $0.message.hasPrefix("memory requests") })
    #expect(total.message.contains("exceed the allocatable 6692Mi of 2 x Standard_B2s"))
    #expect(total.message.contains("largest: StatefulSet tripgen-dev/postgresql 5120Mi"))
  }

  @Test func tooManyPodsFail() throws {
    let files = CheckFixtures.editing(
      "environments/dev/values.yaml", in: CheckFixtures.repositoryFiles()
    ) {
      $0.replacingOccurrences(
        of: "user-service:\n  replicas: 1", with: "user-service:\n  replicas: 40"
      )
      .replacingOccurrences(
        of: "requests: {cpu: 100m, memory: 256Mi}\n    limits: {cpu: 500m, memory: 512Mi}\n\ntrip",
        with: "requests: {cpu: 1m, memory: 1Mi}\n    limits: {cpu: 1m, memory: 1Mi}\n\ntrip")
    }
    let report = try CheckFixtures.check("dev", files: files)
    #expect(report.capacity?.pods == 47)
    #expect(
      report.errors.contains {
        $0.message.contains("47 pods plus about 22 AKS system pods exceed maxPods 60")
      })
  }

  @Test func aMissingProbeFails() throws {
    var (state, tree) = try CheckFixtures.render("dev")
    let index = try #require(
      state.objects.firstIndex { $0.key.name == "trip-service" && $0.key.kind == "Deployment" })
    var container = try #require(
      state.objects[index].object["spec"]?["template"]?["spec"]?["containers"]?[0]?.objectValue)
    container["livenessProbe"] = nil
    state.objects[index].object.set(
      ["spec", "template", "spec", "containers"], .array([.object(container)]))
    let report = EnvironmentCheck.run(state, files: tree)
    let finding = try #require(report.errors.first)
    #expect(report.errors.count == 1, "\(report.errors)")
    #expect(finding.check == .policy)
    #expect(
      finding.description
        == "error: Deployment tripgen-dev/trip-service (from tripgen/charts/trip-service/templates/deployment.yaml): spec.template.spec.containers[0].livenessProbe: container trip-service has no livenessProbe; without it Kubernetes never restarts a hung service"
    )
  }

  @Test func aSecretInValuesFailsWithoutShowingIt() throws {
    let files = CheckFixtures.editing(
      "environments/dev/values.yaml", in: CheckFixtures.repositoryFiles()
    ) {
      $0.replacingOccurrences(
        of: "ai-service:\n  replicas: 1\n",
        with: "ai-service:\n  replicas: 1\n  env:\n    OPENAI_API_KEY: sk-do-not-print-me\n")
    }
    let report = try CheckFixtures.check("dev", files: files)
    let finding = try #require(report.errors.first { $0.check == .policy })
    #expect(report.errors.count == 1, "\(report.errors)")
    let line =
      String(decoding: files["environments/dev/values.yaml"]!, as: UTF8.self)
      .split(separator: "\n", omittingEmptySubsequences: false)
      .firstIndex { $0.contains("OPENAI_API_KEY") }! + 1
    #expect(finding.source == "environments/dev/values.yaml:\(line)")
    #expect(finding.field == "ai-service.env.OPENAI_API_KEY")
    let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
    #expect(!report.text.contains("sk-do-not-print-me") && !json.contains("sk-do-not-print-me"))
  }

  @Test func aRenderedSecretWithDataFails() throws {
    var files = CheckFixtures.repositoryFiles()
    files["charts/tripgen/templates/secret.yaml"] = Array(
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: jwt-secret\nstringData:\n  secret: hunter2\n"
        .utf8)
    let report = try CheckFixtures.check("dev", files: files)
    let finding = try #require(report.errors.first { $0.object == "Secret tripgen-dev/jwt-secret" })
    #expect(
      finding.message.hasPrefix("a Secret with data (secret) is rendered from the repository"))
    #expect(!report.text.contains("hunter2"))
  }

  @Test func latestAndUntaggedImagesFail() throws {
    let files = CheckFixtures.editing(
      "environments/dev/values.yaml", in: CheckFixtures.repositoryFiles()
    ) {
      $0.replacingOccurrences(
        of: "image: postgres:16-alpine\n  resources", with: "image: postgres:latest\n  resources"
      )
      .replacingOccurrences(of: "image: redis:7.2-alpine", with: "image: docker.io/library/redis")
    }
    let report = try CheckFixtures.check("dev", files: files)
    let messages = report.errors.map(\.description)
    #expect(
      messages.contains {
        $0.contains("StatefulSet tripgen-dev/postgresql")
          && $0.contains("image postgres:latest uses the latest tag")
      })
    #expect(
      messages.contains {
        $0.contains("StatefulSet tripgen-dev/redis")
          && $0.contains("image docker.io/library/redis has no tag")
      })
    #expect(PolicyCheck.imageProblem("registry:5000/app:1.2") == nil)
    #expect(PolicyCheck.imageProblem("registry:5000/app") != nil)
  }

  @Test func aServiceWithoutANetworkPolicyFails() throws {
    var files = CheckFixtures.repositoryFiles()
    files["charts/tripgen/templates/mailer.yaml"] = Array(
      """
      apiVersion: v1
      kind: Service
      metadata:
        name: mailer
      spec:
        selector: {app: mailer}
        ports: [{port: 25}]
      """.utf8)
    let report = try CheckFixtures.check("dev", files: files)
    #expect(report.errors.count == 1, "\(report.errors)")
    #expect(
      report.errors.first?.description
        == "error: Service tripgen-dev/mailer (from tripgen/templates/mailer.yaml): spec.selector: no NetworkPolicy selects this Service's pods for Ingress, so any pod in the cluster can reach them; add a policy whose podSelector matches app=mailer"
    )
    // Without the policies, every Service of the chart is reported.
    let open = CheckFixtures.editing(
      "environments/dev/values.yaml", in: CheckFixtures.repositoryFiles()
    ) {
      $0 + "\nnetworkPolicies:\n  enabled: false\n"
    }
    let openReport = try CheckFixtures.check("dev", files: open)
    #expect(openReport.errors.filter { $0.message.hasPrefix("no NetworkPolicy") }.count == 6)
  }

  @Test func aRequestAboveItsLimitFails() throws {
    let files = CheckFixtures.editing(
      "environments/dev/values.yaml", in: CheckFixtures.repositoryFiles()
    ) {
      $0.replacingOccurrences(
        of: "requests: {cpu: 100m, memory: 512Mi}\n    limits: {cpu: 500m, memory: 1Gi}",
        with: "requests: {cpu: 100m, memory: 2Gi}\n    limits: {cpu: 500m, memory: 1Gi}")
    }
    let report = try CheckFixtures.check("dev", files: files)
    let finding = try #require(report.errors.first { $0.object == "StatefulSet tripgen-dev/redis" })
    #expect(finding.field == "spec.template.spec.containers[0].resources.requests.memory")
    #expect(finding.message.contains("requests more memory than its limit"))
  }

  @Test func devIsServedAtItsHostName() throws {
    let (state, _) = try CheckFixtures.render("dev")
    let ingress = try #require(state.objects.first { $0.key.kind == "Ingress" }).object
    #expect(ingress["spec"]?["rules"]?[0]?["host"] == "dev.tripgen.io")
    #expect(ingress["spec"]?["tls"]?[0]?["hosts"] == ["dev.tripgen.io"])
    #expect(ingress["spec"]?["tls"]?[0]?["secretName"] == "tripgen-dev-tls")
  }

  @Test func aPodRequestsItsLargestInitContainerAndItsLimitsWhenRequestsAreMissing() throws {
    let pod: JSONValue = [
      "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "n"],
      "spec": [
        "initContainers": [
          ["name": "migrate", "resources": ["requests": ["cpu": "2", "memory": "64Mi"]]]
        ],
        "containers": [
          ["name": "a", "resources": ["requests": ["cpu": "250m", "memory": "100Mi"]]],
          ["name": "b", "resources": ["limits": ["cpu": "500m", "memory": "200Mi"]]],
        ],
      ],
    ]
    let key = try #require(ObjectKey(object: pod))
    let template = try #require(
      PodTemplate.all(in: [RenderedObject(key: key, object: pod, source: "p.yaml")]).first)
    let requests = template.effective("requests")
    // CPU: the init container's 2 cores beat 250m + 500m; memory: 100Mi + 200Mi beat 64Mi.
    #expect(requests.cpu == 2)
    #expect(requests.memory == 300 * Self.mebibyte)
    #expect(template.effective("limits").cpu == 0.5)
  }
}
