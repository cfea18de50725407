import GitOps
import Testing
import YAML

@Suite struct DiffObjectTests {
  @Test func keyOrderNeverCountsAndRenderingIsSorted() throws {
    let live = try YAML.loadOne(
      "kind: ConfigMap\napiVersion: v1\ndata: {b: \"2\", a: \"1\"}\nmetadata: {name: settings}")
    let desired = try YAML.loadOne(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: \"1\", b: \"2\"}")
    let diff = ObjectDiff(live: live, desired: desired)
    #expect(!diff.differs)
    #expect(diff.unifiedDiff() == "")
    #expect(diff.liveYAML == diff.desiredYAML)
    #expect(
      diff.liveYAML
        == "apiVersion: v1\ndata:\n  a: \"1\"\n  b: \"2\"\nkind: ConfigMap\nmetadata:\n  name: settings\n"
    )
  }

  @Test func typesCount() throws {
    let live: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "data": ["count": "1"]]
    let desired: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "data": ["count": 1]]
    let diff = ObjectDiff(live: live, desired: desired)
    #expect(diff.differs)
    #expect(
      diff.unifiedDiff(context: 1, liveLabel: "live/ConfigMap", desiredLabel: "desired/ConfigMap")
        == "--- live/ConfigMap\n+++ desired/ConfigMap\n@@ -2,3 +2,3 @@\n data:\n"
        + "-  count: \"1\"\n+  count: 1\n kind: ConfigMap\n")
  }

  @Test func longValuesAreNotFolded() throws {
    let long = String(repeating: "word ", count: 40) + "end"
    let diff = ObjectDiff(
      live: nil, desired: ["kind": "ConfigMap", "data": ["text": .string(long)]])
    #expect(diff.desiredYAML.contains("text: \(long)\n"))
    #expect(diff.unifiedDiff().hasPrefix("--- live\n+++ desired\n@@ -0,0 +1,3 @@\n+data:\n"))
  }
}
