import Testing
import YAML

@testable import Pipeline

/// The plan's pieces that need no cluster: Secrets masked before they reach a summary, the live
/// object cut down to the fields we set, and the line diff.
@Suite struct ClusterPlanTests {
  @Test func secretValuesAreMaskedInThePlan() throws {
    let secret = try YAML.loadOne(
      Array(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {password: aHVudGVyMg==}\nstringData: {user: admin}\n"
          .utf8), file: "secret.yaml")
    let text = ClusterPlan.yaml(ClusterPlan.masked(secret))
    #expect(!text.contains("aHVudGVyMg=="))
    #expect(!text.contains("admin"))
    #expect(
      text.contains("password: '*** (masked)'") || text.contains("password: \"*** (masked)\""))
    let configMap = try YAML.loadOne(
      Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n".utf8),
      file: "cm.yaml")
    #expect(ClusterPlan.masked(configMap) == configMap)
  }

  @Test func fieldsTheServerAddsDoNotCountAsChanges() throws {
    let desired = try YAML.loadOne(
      Array("metadata: {name: a, labels: {x: y}}\nspec: {replicas: 2, ports: [{port: 80}]}\n".utf8),
      file: "desired.yaml")
    let live = try YAML.loadOne(
      Array(
        "metadata: {name: a, uid: u1, resourceVersion: '9', labels: {x: y}}\nspec: {replicas: 2, ports: [{port: 80, protocol: TCP}]}\nstatus: {ready: 2}\n"
          .utf8), file: "live.yaml")
    #expect(ClusterPlan.project(live, onto: desired) == desired)
    let changed = try YAML.loadOne(
      Array("metadata: {name: a, labels: {x: z}}\nspec: {replicas: 2, ports: [{port: 80}]}\n".utf8),
      file: "live.yaml")
    #expect(ClusterPlan.project(changed, onto: desired) != desired)
  }

  @Test func theLineDiffShowsChangesWithContext() {
    let diff = LineDiff.unified(old: "a\nb\nc\nd\n", new: "a\nb\nC\nd\n", context: 1)
    #expect(diff == "  b\n- c\n+ C\n  d")
    #expect(LineDiff.unified(old: "", new: "x\ny\n") == "+ x\n+ y")
  }
}
