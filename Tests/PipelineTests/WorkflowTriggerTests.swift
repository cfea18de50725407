import Foundation
import Testing
import YAML

/// The triggers do what the CI design says: pull requests plan dev without pushing, pushes to main
/// push for dev with the OIDC token permission, and both run the CI action.
@Suite struct WorkflowTriggerTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func load(_ path: String) throws -> JSONValue {
    let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent(path)))
    return try YAML.loadOne(bytes, file: path)
  }

  /// The `on:` mapping; a YAML 1.1 reader takes the bare key `on` for a boolean.
  static func triggers(_ workflow: JSONValue) -> JSONValue? {
    workflow["on"] ?? workflow["true"]
  }

  static func ciStep(_ workflow: JSONValue, job: String) -> JSONValue? {
    workflow["jobs"]?[job]?["steps"]?.arrayValue?.first {
      $0["uses"]?.stringValue == "./pipelines/actions/ci"
    }
  }

  @Test func pullRequestsPlanDevWithoutPushing() throws {
    let workflow = try Self.load(".github/workflows/plan.yml")
    #expect(Self.triggers(workflow)?["pull_request"] != nil)
    let step = try #require(Self.ciStep(workflow, job: "plan"))
    #expect(step["with"]?["environment"]?.stringValue == "dev")
    #expect(step["with"]?["push"]?.stringValue == "false")
    #expect(workflow["permissions"]?["id-token"] == nil)
  }

  @Test func pushesToMainPushForDevWithAnOIDCToken() throws {
    let workflow = try Self.load(".github/workflows/deliver.yml")
    #expect(Self.triggers(workflow)?["push"]?["branches"]?.arrayValue?.first?.stringValue == "main")
    #expect(workflow["permissions"]?["id-token"]?.stringValue == "write")
    let step = try #require(Self.ciStep(workflow, job: "deliver"))
    #expect(step["with"]?["environment"]?.stringValue == "dev")
    #expect(step["with"]?["push"]?.stringValue == "true")
  }

  /// The action passes its inputs through the environment, never into the script's text.
  @Test func theCIActionNeverSplicesInputsIntoShell() throws {
    let action = try Self.load("pipelines/actions/ci/action.yml")
    for step in action["runs"]?["steps"]?.arrayValue ?? [] {
      let script = step["run"]?.stringValue ?? ""
      #expect(!script.contains("${{"), "\(script)")
    }
  }
}
