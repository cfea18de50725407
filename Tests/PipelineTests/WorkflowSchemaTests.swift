import Foundation
import TestSupport
import Testing

/// Every GitHub workflow and composite action in the repository validates against GitHub's schemas, as
/// `check-jsonschema` (PyPI, installed by scripts/setup) ships them.
@Suite struct WorkflowSchemaTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func files(under folder: String, named match: (String) -> Bool) -> [String] {
    let base = root.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
    return walker.compactMap { $0 as? String }.filter(match).sorted()
      .map { base.appendingPathComponent($0).path }
  }

  static let workflows = files(under: ".github/workflows") {
    $0.hasSuffix(".yml") || $0.hasSuffix(".yaml")
  }
  static let actions = files(under: "pipelines") {
    $0.hasSuffix("action.yml") || $0.hasSuffix("action.yaml")
  }

  private func validate(_ paths: [String], schema: String) throws -> Command.Result {
    try Command.run(["check-jsonschema", "--builtin-schema", schema] + paths)
  }

  @Test func workflowsMatchGitHubsWorkflowSchema() throws {
    #expect(!Self.workflows.isEmpty)
    let result = try validate(Self.workflows, schema: "vendor.github-workflows")
    #expect(result.succeeded, "\(result.standardOutput)\(result.standardError)")
  }

  @Test func compositeActionsMatchGitHubsActionSchema() throws {
    #expect(Self.actions.count >= 2)
    let result = try validate(Self.actions, schema: "vendor.github-actions")
    #expect(result.succeeded, "\(result.standardOutput)\(result.standardError)")
  }

  /// The check itself must be able to fail: a job without `runs-on` is not a valid workflow.
  @Test func aBrokenWorkflowIsRejected() throws {
    let scratch = try TemporaryDirectory()
    let broken = scratch.file("broken.yml")
    try "on: push\njobs:\n  test:\n    steps:\n      - run: true\n".write(
      to: broken, atomically: true, encoding: .utf8)
    let result = try validate([broken.path], schema: "vendor.github-workflows")
    #expect(!result.succeeded)
  }

  /// Local actions a workflow or action names (`uses: ./path`) exist in the repository.
  @Test func localActionReferencesResolve() throws {
    for file in Self.workflows + Self.actions {
      let text = try String(contentsOfFile: file, encoding: .utf8)
      for line in text.split(separator: "\n") {
        guard let range = line.range(of: "uses: ./") else { continue }
        let path = String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        let action = Self.root.appendingPathComponent(path).appendingPathComponent("action.yml")
        #expect(FileManager.default.fileExists(atPath: action.path), "\(file) uses ./\(path)")
      }
    }
  }
}
