import Foundation
import Testing
import YAML

@testable import Helm

/// Differential tests: every case under Oracle/expected was rendered by Helm v4 itself
/// (Oracle/generate_expected.py, through helm-python-sdk); our renderer, with Helm's functions
/// over the Sprig module's, must produce the same bytes, or fail with the same message.
@Suite struct OracleTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let expectedDirectory = root.appendingPathComponent("Tests/HelmTests/Oracle/expected")

  static var caseIDs: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: expectedDirectory.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
  }

  /// Helm lists schema violations in Go map order, which changes from run to run: compare
  /// each chart's violations (with their nested causes) as a set.
  static func normalized(_ message: String) -> String {
    var sections: [String] = []
    var blocks: [String] = []
    var current = ""
    func flush() {
      if !current.isEmpty { blocks.append(current) }
      current = ""
    }
    for line in message.trimmingWhitespace().split(
      separator: "\n", omittingEmptySubsequences: false)
    {
      if line.hasPrefix("- ") {
        flush()
        current = String(line)
        // Helm lists additional property names in map order too.
        if let range = current.range(of: "additional properties "),
          current.hasSuffix(" not allowed")
        {
          let names = current[range.upperBound...].dropLast(" not allowed".count)
          current =
            current[..<range.upperBound]
            + names.split(separator: ", ").sorted().joined(separator: ", ") + " not allowed"
        }
      } else if line.hasPrefix(" ") {
        current += "\n" + line
      } else {
        flush()
        sections.append(blocks.sorted().joined(separator: "\n"))
        blocks = []
        sections.append(String(line))
      }
    }
    flush()
    sections.append(blocks.sorted().joined(separator: "\n"))
    return sections.joined(separator: "\n")
  }

  /// With HELM_DEBUG_DIR set, a mismatch is written there as NAME.actual and NAME.expected, to
  /// be compared with diff (the expectation message alone is hard to read for long outputs).
  static func saveForDiff(_ name: String, ours: String, helm: String) {
    guard let directory = ProcessInfo.processInfo.environment["HELM_DEBUG_DIR"] else { return }
    let path = directory + "/" + name.replacingOccurrences(of: "/", with: "_")
    try? ours.write(toFile: path + ".actual", atomically: true, encoding: .utf8)
    try? helm.write(toFile: path + ".expected", atomically: true, encoding: .utf8)
  }

  @Test func everyCaseIsPresent() {
    #expect(Self.caseIDs.count >= 18)
  }

  /// Renders with Helm's functions over Sprig's, as `tripgen template` does.
  @Test(arguments: OracleTests.caseIDs)
  func rendersAsHelmDoes(_ id: String) throws {
    let data = try Data(contentsOf: Self.expectedDirectory.appendingPathComponent(id + ".json"))
    let expected = try YAML.loadOne([UInt8](data))
    let chartPath = Self.root.appendingPathComponent(expected["chart"]!.stringValue!).path
    let chart = try ChartLoader.load(directory: chartPath)
    var values: ValueTable = [:]
    for file in expected["valuesFiles"]?.arrayValue ?? [] {
      let path = Self.root.appendingPathComponent(file.stringValue!).path
      let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      values = Coalesce.mergeUserValues(
        values, try ChartLoader.readValues(bytes, file: path).objectValue!)
    }
    if let explicit = expected["values"]?.numbersAsFloats.objectValue {
      values = Coalesce.mergeUserValues(values, explicit)
    }
    let options = ReleaseOptions(
      name: expected["name"]!.stringValue!, namespace: expected["namespace"]!.stringValue!,
      capabilities: Capabilities(kubeVersion: "v1.36.0"))
    let renderer = ReleaseRenderer(engine: TemplateEngine())
    if let message = expected["error"]?.stringValue {
      #expect(throws: HelmError.self) {
        try renderer.render(chart: chart, values: values, options: options)
      }
      do {
        _ = try renderer.render(chart: chart, values: values, options: options)
      } catch {
        #expect(Self.normalized("\(error)") == Self.normalized(message))
      }
      return
    }
    let processed = try ChartDependencies.process(chart, values: values)
    let rendered = try TemplateEngine().render(
      chart: processed, values: try Coalesce.values(processed, values), options: options)
    let expectedRendered = expected["rendered"]!.objectValue!
    #expect(Set(rendered.map(\.name)) == Set(expectedRendered.keys))
    for template in rendered {
      let helmText = expectedRendered[template.name]?.stringValue ?? ""
      #expect(template.text == helmText, "\(template.name)")
      if template.text != helmText {
        Self.saveForDiff(id + "-" + template.name, ours: template.text, helm: helmText)
      }
    }
    if let manifestError = expected["manifestError"]?.stringValue {
      // Helm's message, then the rendered text around the problem.
      do {
        _ = try renderer.render(chart: chart, values: values, options: options)
        Issue.record("expected: \(manifestError)")
      } catch {
        #expect("\(error)".hasPrefix(manifestError + "\n"), "\(error)")
      }
      return
    }
    let release = try renderer.render(chart: chart, values: values, options: options)
    #expect(release.releaseManifest() == expected["manifest"]!.stringValue!)
    if release.releaseManifest() != expected["manifest"]!.stringValue! {
      Self.saveForDiff(
        id + ".manifest", ours: release.releaseManifest(), helm: expected["manifest"]!.stringValue!)
    }
    #expect(release.notes == expected["notes"]?.stringValue ?? "")
  }
}
