import Environments
import Foundation
import Git
import GitOps
import Helm
import TestSupport
import Testing
import YAML

/// `charts/tripgen-controller` as the dev environment renders it: valid against the Kubernetes 1.29
/// schemas (`kubernetes-validate --strict`), locked down, and granted only what it needs.
@Suite struct ControllerChartTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  static func render() throws -> DesiredState {
    let files = DirectorySourceFiles(root: root)
    let dev = try EnvironmentLoader.load(name: "dev", from: files)
    let digest = "sha256:" + String(repeating: "ab", count: 32)
    let images = dev.spec.images.map {
      ImageBinding(
        name: $0.name, registry: dev.spec.registry.host, repository: $0.name, tag: "t",
        digest: digest)
    }
    return try EnvironmentRenderer().render(
      dev, files: files, revision: .commit(ObjectID(hex: String(repeating: "0", count: 40))!),
      images: images)
  }

  static func controllerObjects(_ state: DesiredState) -> [RenderedObject] {
    state.objects.filter { $0.source.hasPrefix("tripgen-controller/") }
  }

  @Test func theDevEnvironmentIncludesTheControllerAndValidates() throws {
    let state = try Self.render()
    let objects = Self.controllerObjects(state)
    #expect(
      Set(objects.map(\.key.kind)) == [
        "ServiceAccount", "Role", "RoleBinding", "Service", "NetworkPolicy", "Deployment",
      ])
    #expect(objects.allSatisfy { $0.key.namespace == "tripgen-dev" })
    let scratch = try TemporaryDirectory()
    let file = scratch.file("controller.yaml")
    try YAML.dumpAll(objects.map(\.object)).write(to: file, atomically: true, encoding: .utf8)
    let result = try Command.run(["kubernetes-validate", "-k", "1.29.0", "--strict", file.path])
    #expect(result.succeeded, "\(result.standardOutput)\(result.standardError)")
  }

  @Test func theDeploymentIsLockedDownWithProbesAndSecretFiles() throws {
    let state = try Self.render()
    let deployment = try #require(
      Self.controllerObjects(state).first { $0.key.kind == "Deployment" }?.object)
    let pod = try #require(deployment["spec"]?["template"]?["spec"])
    #expect(pod["securityContext"]?["runAsNonRoot"] == true)
    #expect(pod["serviceAccountName"] == "tripgen-controller")
    let container = try #require(pod["containers"]?[0])
    #expect(container["securityContext"]?["readOnlyRootFilesystem"] == true)
    #expect(container["securityContext"]?["allowPrivilegeEscalation"] == false)
    #expect(container["resources"]?["requests"]?["cpu"] == "50m")
    #expect(container["resources"]?["requests"]?["memory"] == "64Mi")
    #expect(container["resources"]?["limits"]?["cpu"] == "500m")
    #expect(container["resources"]?["limits"]?["memory"] == "256Mi")
    #expect(container["livenessProbe"]?["httpGet"]?["path"] == "/healthz")
    #expect(container["readinessProbe"]?["httpGet"]?["path"] == "/readyz")
    let args = (container["args"]?.arrayValue ?? []).compactMap(\.stringValue)
    #expect(args.first == "controller")
    #expect(args.contains("--env=dev"))
    #expect(args.contains("--repo=https://github.com/tripgen/tripgen.git"))
    #expect(args.contains("--webhook-secret-file=/var/run/secrets/tripgen/webhook/secret"))
    #expect(args.contains("--git-token-file=/var/run/secrets/tripgen/git/token"))
    let secrets = (pod["volumes"]?.arrayValue ?? []).compactMap {
      $0["secret"]?["secretName"]?.stringValue
    }
    #expect(
      Set(secrets) == [
        "tripgen-controller-git", "tripgen-controller-webhook", "tripgen-controller-api",
      ])
  }

  @Test func theRoleGrantsTheEnvironmentsKindsLeasesEventsAndReadingPodsOnly() throws {
    let state = try Self.render()
    let role = try #require(Self.controllerObjects(state).first { $0.key.kind == "Role" }?.object)
    var granted: Set<String> = []
    for rule in role["rules"]?.arrayValue ?? [] {
      for group in rule["apiGroups"]?.arrayValue ?? [] {
        for resource in rule["resources"]?.arrayValue ?? [] {
          granted.insert("\(group.stringValue ?? "")/\(resource.stringValue ?? "")")
        }
      }
    }
    // Every kind the environment applies is granted ...
    let plural = [
      "ConfigMap": "configmaps", "Service": "services", "ServiceAccount": "serviceaccounts",
      "Deployment": "deployments", "StatefulSet": "statefulsets", "Job": "jobs",
      "Ingress": "ingresses", "NetworkPolicy": "networkpolicies",
      "Role": "roles", "RoleBinding": "rolebindings",
    ]
    for object in state.objects {
      let resource = try #require(plural[object.key.kind], "no plural for \(object.key.kind)")
      #expect(granted.contains("\(object.key.group)/\(resource)"), "\(object.key)")
    }
    // ... and nothing else but the Lease, Events and reading Pods (health): no Secrets, nothing
    // cluster-wide.
    let kinds = Set(state.objects.map { "\($0.key.group)/\(plural[$0.key.kind] ?? "")" })
    #expect(granted.subtracting(kinds) == ["coordination.k8s.io/leases", "/events", "/pods"])
    let podRule = try #require(
      role["rules"]?.arrayValue?.first { $0["resources"]?.arrayValue == ["pods"] })
    #expect(podRule["verbs"] == ["get", "list", "watch"])
    #expect(!state.objects.contains { $0.key.kind.hasPrefix("Cluster") })
  }

  @Test func theNightScheduleSleepsTheServicesButNeverTheController() throws {
    let state = try Self.render()
    let deployments = state.objects.filter { $0.key.kind == "Deployment" }
    let kept = deployments.filter { !SleepAdjustment.isScaledDown($0.object) }.map(\.key.name)
    #expect(kept == ["tripgen-controller"])
    #expect(deployments.count > 1)
  }
}
