import Checks
import Environments
import Foundation
import TestSupport
import Testing
import YAML

/// The vendored Kubernetes 1.29 schemas, strict, against `kubernetes-validate -k 1.29.0 --strict`
/// (PyPI) on the same objects: both accept the environments, both reject an unknown field at the
/// same place.
@Suite struct SchemaCheckTests {
  /// kubernetes-validate's verdict on the objects, written to one file.
  static func kubernetesValidate(_ objects: [JSONValue]) throws -> Command.Result {
    let scratch = try TemporaryDirectory()
    let file = scratch.file("objects.yaml")
    try YAML.dumpAll(objects).write(to: file, atomically: true, encoding: .utf8)
    return try Command.run(["kubernetes-validate", "-k", "1.29.0", "--strict", file.path])
  }

  @Test(arguments: ["dev", "local"])
  func everyRenderedObjectValidatesAsKubernetesValidateSays(environment: String) throws {
    let (state, _) = try CheckFixtures.render(environment)
    #expect(SchemaCheck.run(state.objects).isEmpty)
    let reference = try Self.kubernetesValidate(state.objects.map(\.object))
    #expect(reference.succeeded, "\(reference.standardOutput)\(reference.standardError)")
  }

  @Test func anUnknownFieldIsNamedWithItsObjectTemplateAndPath() throws {
    let template = "charts/tripgen/charts/redis/templates/statefulset.yaml"
    let files = CheckFixtures.editing(template, in: CheckFixtures.repositoryFiles()) {
      $0.replacingOccurrences(of: "          readinessProbe:", with: "          readinesProbe:")
    }
    let (state, tree) = try CheckFixtures.render("dev", files: files)
    let report = EnvironmentCheck.run(state, files: tree)
    let schema = report.errors.filter { $0.check == .schema }
    #expect(schema.count == 1, "\(schema)")
    let finding = try #require(schema.first)
    #expect(finding.object == "StatefulSet tripgen-dev/redis")
    #expect(finding.source == "tripgen/charts/redis/templates/statefulset.yaml")
    #expect(finding.field == "spec.template.spec.containers[0].readinesProbe")
    #expect(finding.message.hasPrefix("unknown field \"readinesProbe\""))
    // The reference rejects it at the same place.
    let redis = try #require(
      state.objects.first { $0.key.kind == "StatefulSet" && $0.key.name == "redis" })
    let reference = try Self.kubernetesValidate([redis.object])
    #expect(!reference.succeeded)
    #expect(
      reference.standardOutput.contains(
        "spec.template.spec.containers.0: Additional properties are not allowed ('readinesProbe' was unexpected)"
      ), "\(reference.standardOutput)")
  }

  @Test func wrongTypesAndMissingRequiredFieldsAgreeWithTheReference() throws {
    let objects: [(JSONValue, String)] = [
      (
        [
          "apiVersion": "v1", "kind": "Service", "metadata": ["name": "s"],
          "spec": ["ports": [["port": "http"]]],
        ], "spec.ports[0].port"
      ),
      (
        [
          "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d"],
          "spec": ["template": ["spec": ["containers": [["image": "i:1"]]]]],
        ], "spec"
      ),
      (
        [
          "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "j"],
          "spec": [
            "backoffLimit": "3",
            "template": ["spec": ["containers": [["name": "c", "image": "i:1"]]]],
          ],
        ], "spec.backoffLimit"
      ),
    ]
    for (object, field) in objects {
      let key = try #require(ObjectKey(object: object))
      let findings = SchemaCheck.run([RenderedObject(key: key, object: object, source: "t.yaml")])
      #expect(findings.contains { $0.field == field }, "\(key): \(findings)")
      #expect(!(try Self.kubernetesValidate([object])).succeeded, "\(key)")
    }
  }

  @Test func aKindWithoutASchemaIsAnError() throws {
    let object: JSONValue = [
      "apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"],
    ]
    let findings = SchemaCheck.run([
      RenderedObject(key: try #require(ObjectKey(object: object)), object: object, source: "w.yaml")
    ])
    #expect(
      findings.first?.message.hasPrefix(
        "no Kubernetes 1.29.0 schema for kind Widget in example.com/v1") == true)
  }

  @Test func theVendoredSchemasAreTheGeneratorsOutput() throws {
    let scratch = try TemporaryDirectory()
    let output = scratch.file("KubernetesSchemaDocument.swift")
    let result = try Command.run([
      "python3", CheckFixtures.root + "/scripts/generate-kubernetes-schemas.py", output.path,
    ])
    #expect(result.succeeded, "\(result.standardError)")
    let checkedIn = try String(
      contentsOfFile: CheckFixtures.root + "/Sources/Checks/KubernetesSchemaDocument.swift",
      encoding: .utf8)
    #expect(try String(contentsOf: output, encoding: .utf8) == checkedIn)
  }
}
