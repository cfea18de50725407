import ArgumentParser
import Blocking
import Foundation
import Helm
import YAML

/// `tripgen template`: renders a chart locally and prints it as `helm template` does.
struct TemplateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "template",
    abstract: "Render a Helm chart locally; the output is diffable against `helm template`.",
    discussion: """
      Values come, lowest first, from the chart's values.yaml files, each -f file in order, then \
      every --set, every --set-string and every --set-file, as with Helm. No cluster is \
      contacted: `lookup` returns an empty map and .Capabilities comes from --kube-version and \
      --api-versions.
      """)

  @Argument(help: "The chart directory.") var chart: String
  @Option(
    name: [.customShort("f"), .customLong("values")], help: "A values file (repeatable, in order).")
  var values: [String] = []
  @Option(name: .customLong("set"), help: "Set values: a.b=c,d[0]=e,f={x,y} (repeatable).")
  var set: [String] = []
  @Option(name: .customLong("set-string"), help: "Set values, keeping them strings (repeatable).")
  var setString: [String] = []
  @Option(name: .customLong("set-file"), help: "Set values from files: key=path (repeatable).")
  var setFile: [String] = []
  @Option(help: "The release name.") var name: String?
  @Option(
    name: .customLong("name-template"),
    help: "A template for the release name, used when --name is not given.")
  var nameTemplate: String?
  @Option(help: "The release namespace.") var namespace = "default"
  @Option(name: .customLong("kube-version"), help: "The Kubernetes version for .Capabilities.")
  var kubeVersion = Capabilities.defaultKubeVersion
  @Option(
    name: [.customShort("a"), .customLong("api-versions")],
    help: "Extra API versions for .Capabilities (repeatable or comma-separated).")
  var apiVersions: [String] = []
  @Option(
    name: [.customShort("s"), .customLong("show-only")],
    help: "Only show manifests from this template (repeatable; a glob under the chart).")
  var showOnly: [String] = []
  @Flag(name: .customLong("include-crds"), help: "Include the charts' crds/ files.")
  var includeCRDs = false
  @Flag(name: .customLong("skip-tests"), help: "Leave out test hooks.") var skipTests = false
  @Flag(name: .customLong("is-upgrade"), help: "Render as an upgrade (.Release.IsUpgrade).")
  var isUpgrade = false
  @Flag(name: .customLong("skip-schema-validation"), help: "Do not check values.schema.json.")
  var skipSchemaValidation = false

  func run() async throws {
    let command = self
    // Reading files and rendering block: keep them off the cooperative pool.
    let output = try await offPool { try command.render() }
    FileHandle.standardOutput.write(Data(output.utf8))
  }

  func render() throws -> String {
    let chart = try ChartLoader.load(directory: chart)
    let options = ReleaseOptions(
      name: try releaseName(), namespace: namespace, isInstall: !isUpgrade, isUpgrade: isUpgrade,
      capabilities: Capabilities(
        kubeVersion: try Capabilities.parseKubeVersion(kubeVersion),
        extraAPIVersions: apiVersions.flatMap { $0.split(separator: ",").map(String.init) }))
    let release = try ReleaseRenderer(validateSchema: !skipSchemaValidation).render(
      chart: chart, values: try userValues(), options: options)
    return try release.templateOutput(
      includeCRDs: includeCRDs, skipTests: skipTests, showOnly: showOnly)
  }

  /// The user's values: -f files merged in order, then --set, --set-string, --set-file.
  func userValues() throws -> ValueTable {
    var result: ValueTable = [:]
    for file in values {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw HelmError.invalidValues(file: file, message: "the file cannot be read")
      }
      result = Coalesce.mergeUserValues(
        result, try ChartLoader.readValues([UInt8](data), file: file).objectValue ?? [:])
    }
    for expression in set { try SetValues.apply(expression, to: &result) }
    for expression in setString { try SetValues.apply(expression, to: &result, typing: .string) }
    for expression in setFile {
      try SetValues.applyFile(expression, to: &result) { path throws(HelmError) in
        guard let data = FileManager.default.contents(atPath: path) else {
          throw .invalidSet(expression: expression, message: "cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
      }
    }
    return result
  }

  /// --name, else --name-template rendered with the base functions (as Helm renders it with
  /// Sprig's), else `release-name`.
  func releaseName() throws -> String {
    if let name { return name }
    guard let nameTemplate else { return "release-name" }
    return try ReleaseOptions.renderNameTemplate(nameTemplate)
  }
}
