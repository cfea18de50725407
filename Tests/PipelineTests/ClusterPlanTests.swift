import Environments
import Git
import Testing
import YAML

@testable import Pipeline

/// The plan without a cluster: every object would be created, Secrets masked before they reach a
/// summary. (The plan against a cluster is the GitOps engine's, exercised end to end.)
@Suite struct ClusterPlanTests {
  @Test func anEmptyClusterPlanCreatesEverythingWithSecretsMasked() throws {
    let secret = try YAML.loadOne(
      Array(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: default}\ndata: {password: aHVudGVyMg==}\nstringData: {user: admin}\n"
          .utf8), file: "secret.yaml")
    let configMap = try YAML.loadOne(
      Array(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\ndata: {greeting: hello}\n"
          .utf8), file: "cm.yaml")
    let summary = ClusterPlan.emptyClusterSummary(
      of: try Self.desired([secret, configMap]), reason: "no cluster credentials")
    #expect(summary.against == "empty")
    #expect(summary.note == "no cluster credentials")
    #expect(summary.create == 2 && summary.update == 0 && summary.prune == 0)
    let secretDiff = try #require(summary.changes.first { $0.object.contains("Secret") }).diff
    #expect(!secretDiff.contains("aHVudGVyMg=="))
    #expect(!secretDiff.contains("admin"))
    #expect(secretDiff.contains("+  password:") || secretDiff.contains("+    password:"))
    let configDiff = try #require(summary.changes.first { $0.object.contains("ConfigMap") }).diff
    #expect(configDiff.contains("greeting: hello"))
  }

  private static func desired(_ objects: [JSONValue]) throws -> DesiredState {
    let environment = try EnvironmentLoader.decode(
      Array(CIFixture.environment("registry.example").utf8),
      file: "environments/ci/environment.yaml")
    return DesiredState(
      environment: environment,
      source: .commit(ObjectID(hex: "0123456789abcdef" + String(repeating: "0", count: 24))!),
      images: [],
      objects: objects.map {
        RenderedObject(key: ObjectKey(object: $0)!, object: $0, source: "test.yaml")
      })
  }
}
