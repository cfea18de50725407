import Foundation
import Testing
import YAML

@testable import Helm

/// Go maps are references, and Helm's templates rely on it: the templates of one chart share
/// one scope and one `.Values` (Helm executes them in its parse order, so a template sees what
/// the ones before it changed), while every render starts from its own values. The expected
/// text of the `mutation` chart comes from Helm itself (Oracle/expected/mutation.json); these
/// tests check what the oracle comparison cannot: isolation between renders.
@Suite struct MapSharingTests {
  static let chartDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Charts/mutation").path

  static func render(_ chart: Chart, name: String) throws -> [TemplateEngine.RenderedTemplate] {
    let processed = try ChartDependencies.process(chart, values: [:])
    return try TemplateEngine().render(
      chart: processed, values: try Coalesce.values(processed, [:]),
      options: ReleaseOptions(name: name, namespace: "default"))
  }

  @Test("a template's changes to .Values show in the templates Helm executes after it")
  func changesShowInLaterTemplates() throws {
    let chart = try ChartLoader.load(directory: Self.chartDirectory)
    let rendered = try Self.render(chart, name: "one")
    let reader = try #require(rendered.first { $0.name == "mutation/templates/reader.yaml" })
    #expect(reader.text.contains("fromA: a\n"))
    #expect(reader.text.contains("scopeMark: set-on-scope\n"))
    #expect(reader.text.contains("  added: by-a\n"))
    // The subchart ran first, so the parent sees its change but it did not see the parent's.
    let sub = try #require(rendered.first { $0.name == "mutation/charts/sub/templates/s.yaml" })
    #expect(sub.text.contains("parentFromA: not-yet"))
  }

  @Test("renders of one chart, one after another and at once, start from the chart's values")
  func rendersAreIsolated() async throws {
    let chart = try ChartLoader.load(directory: Self.chartDirectory)
    let first = try Self.render(chart, name: "same")
    // A second render of the same Chart value: the first render's `set`s are gone.
    #expect(try Self.render(chart, name: "same") == first)
    #expect(first.contains { $0.text.contains("count: 1\n") })

    let results = try await withThrowingTaskGroup(of: [TemplateEngine.RenderedTemplate].self) {
      group in
      for _ in 0..<32 {
        group.addTask { try Self.render(chart, name: "same") }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.count == 32)
    for result in results { #expect(result == first) }
  }
}
