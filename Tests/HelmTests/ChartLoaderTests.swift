import Testing
import YAML

@testable import Helm

/// Loading charts from an in-memory tree (as read from a Git revision), .helmignore, aliases.
@Suite struct ChartLoaderTests {
  private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  private var tree: [String: [UInt8]] {
    [
      "Chart.yaml": bytes(
        """
        apiVersion: v2
        name: app
        version: 1.0.0
        dependencies:
          - {name: svc, alias: one, version: "~1.2"}
          - {name: svc, alias: two, version: "1.2.3"}
          - {name: svc, alias: never, version: ">=2.0.0"}
        """),
      "values.yaml": bytes("one: {port: 1}\ntwo: {port: 2}\n"),
      ".helmignore": bytes("*.md\nsecret/\n"),
      "README.md": bytes("ignored"),
      "secret/key": bytes("ignored"),
      "files/a.txt": bytes("kept"),
      "templates/_helpers.tpl": bytes(#"{{ define "x" }}{{ end }}"#),
      "templates/.hidden.yaml": bytes("ignored by Helm's default rule"),
      "charts/svc/Chart.yaml": bytes("apiVersion: v2\nname: svc\nversion: 1.2.3\n"),
      "charts/svc/values.yaml": bytes("port: 0\n"),
      "charts/svc/templates/svc.yaml": bytes(
        "kind: Service\nmetadata:\n  name: {{ .Chart.Name }}-{{ .Values.port }}\n"),
    ]
  }

  @Test func sortsFilesLikeHelmsLoader() throws {
    let chart = try ChartLoader.load(files: tree, source: "git:abc123")
    #expect(chart.name == "app")
    #expect(chart.templates.map(\.name) == ["templates/_helpers.tpl"])
    #expect(chart.files.map(\.name) == [".helmignore", "files/a.txt"])
    #expect(chart.dependencies.map(\.name) == ["svc"])
    #expect(chart.values == ["one": ["port": .double(1)], "two": ["port": .double(2)]])
  }

  @Test func oneSubchartServesSeveralAliases() throws {
    let chart = try ChartLoader.load(files: tree, source: "git:abc123")
    let release = try ReleaseRenderer().render(chart: chart, values: [:])
    #expect(
      release.manifests.map(\.content) == [
        "kind: Service\nmetadata:\n  name: one-1\n", "kind: Service\nmetadata:\n  name: two-2\n",
      ])
    #expect(
      release.manifests.map(\.source) == [
        "app/charts/one/templates/svc.yaml", "app/charts/two/templates/svc.yaml",
      ])
  }

  @Test func byteOrderMarksAreDropped() throws {
    var files = tree
    files["files/a.txt"] = [0xEF, 0xBB, 0xBF] + bytes("kept")
    let chart = try ChartLoader.load(files: files)
    #expect(chart.files.first { $0.name == "files/a.txt" }?.data == bytes("kept"))
  }

  @Test func aChartInsideAWholeTree() throws {
    let repository = Dictionary(
      uniqueKeysWithValues: tree.map { ("deploy/charts/app/" + $0.key, $0.value) }
        + [("README.md", bytes("repository readme"))])
    let chart = try ChartLoader.load(
      files: repository, directory: "deploy/charts/app", source: "git:abc123")
    #expect(chart.name == "app")
    #expect(chart.files.map(\.name) == [".helmignore", "files/a.txt"])
  }

  @Test func objectsForTheEngineCarryTheirSource() throws {
    let chart = try ChartLoader.load(files: tree, source: "git:abc123")
    let release = try ReleaseRenderer().render(chart: chart, values: [:])
    #expect(release.objects.map(\.source) == release.manifests.map(\.source))
    #expect(release.objects.first?.object["metadata"]?["name"] == "one-1")
  }

  @Test func refusesWhatHelmTemplateRefuses() throws {
    var files = tree
    files["Chart.yaml"] = bytes(
      "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - {name: absent}\n  - {name: svc}\n"
    )
    #expect(throws: HelmError.missingDependencies(["absent"])) {
      try ReleaseRenderer().render(chart: ChartLoader.load(files: files), values: [:])
    }
    files["Chart.yaml"] = bytes("apiVersion: v2\nname: app\nversion: 1.0.0\ntype: library\n")
    #expect(throws: HelmError.notInstallable(type: "library")) {
      try ReleaseRenderer().render(chart: ChartLoader.load(files: files), values: [:])
    }
  }

  @Test func releaseNamesAreCheckedAsHelmChecksThem() throws {
    #expect(ReleaseOptions.isValidReleaseName("tripgen-dev.v2"))
    #expect(!ReleaseOptions.isValidReleaseName("Tripgen"))
    #expect(!ReleaseOptions.isValidReleaseName("-x"))
    #expect(!ReleaseOptions.isValidReleaseName(String(repeating: "a", count: 54)))
    let chart = try ChartLoader.load(files: tree)
    #expect(throws: HelmError.invalidReleaseName("Bad_Name")) {
      try ReleaseRenderer().render(
        chart: chart, values: [:], options: ReleaseOptions(name: "Bad_Name"))
    }
  }

  @Test func missingChartYAMLIsNamed() {
    #expect(
      throws: HelmError.invalidChart(
        file: "git:x/Chart.yaml", message: "Chart.yaml file is missing")
    ) {
      try ChartLoader.load(files: ["values.yaml": []], source: "git:x")
    }
  }

  @Test func semverConstraints() {
    #expect(SemverRange.isCompatible(constraint: "~1.2", version: "1.2.9"))
    #expect(!SemverRange.isCompatible(constraint: "~1.2", version: "1.3.0"))
    #expect(SemverRange.isCompatible(constraint: "^0.1.0", version: "0.1.5"))
    #expect(!SemverRange.isCompatible(constraint: "^0.1.0", version: "0.2.0"))
    #expect(SemverRange.isCompatible(constraint: ">=1.0, <2.0", version: "1.9.9"))
    #expect(SemverRange.isCompatible(constraint: "1.x || >=3", version: "3.1.0"))
    #expect(SemverRange.isCompatible(constraint: "1.0 - 2.0", version: "2.0.0"))
    #expect(!SemverRange.isCompatible(constraint: ">=1.0", version: "1.5.0-beta.1"))
    #expect(SemverRange.isCompatible(constraint: ">=1.29.0-0", version: "v1.29.0"))
  }

  @Test func helmIgnoreRules() throws {
    let rules = try HelmIgnore("*.md\n/top.txt\ndocs/\n!keep.md\n")
    #expect(rules.ignores("a/README.md", isDirectory: false))
    #expect(rules.ignores("top.txt", isDirectory: false))
    #expect(rules.ignores("docs", isDirectory: true))
    #expect(rules.ignores("templates/.hidden", isDirectory: false))
    #expect(throws: HelmError.self) { try HelmIgnore("a/**/b") }
  }
}
