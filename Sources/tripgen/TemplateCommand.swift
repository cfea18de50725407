import ArgumentParser
import Foundation
import Helm
import YAML

/// `tripgen template`: renders a chart locally and prints it as `helm template` does.
struct TemplateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "template",
    abstract: "Render a Helm chart locally, with output diffable against `helm template`.")

  @Argument(help: "The chart directory.") var chart: String
  @Option(name: [.short, .customLong("values")], help: "A values file (repeatable, in order).")
  var values: [String] = []
  @Option(name: .customLong("set"), help: "Set values: a.b=c,d[0]=e (repeatable).")
  var set: [String] = []
  @Option(name: .customLong("set-string"), help: "Set string values (repeatable).")
  var setString: [String] = []
  @Option(name: .customLong("set-file"), help: "Set values from files: key=path (repeatable).")
  var setFile: [String] = []
  @Option(help: "The release name.") var name = "release-name"
  @Option(help: "The release namespace.") var namespace = "default"
  @Option(name: .customLong("kube-version"), help: "The Kubernetes version for .Capabilities.")
  var kubeVersion = Capabilities.defaultKubeVersion
  @Option(name: .customLong("api-versions"), help: "Extra API versions for .Capabilities.")
  var apiVersions: [String] = []
  @Option(name: [.short, .customLong("show-only")], help: "Only show this template (repeatable).")
  var showOnly: [String] = []
  @Flag(name: .customLong("include-crds"), help: "Include the charts' crds/ files.")
  var includeCRDs = false
  @Flag(name: .customLong("skip-tests"), help: "Leave out test hooks.") var skipTests = false
  @Flag(name: .customLong("skip-schema-validation"), help: "Do not check values.schema.json.")
  var skipSchemaValidation = false

  func run() async throws {
    let command = self
    // Reading the chart and rendering block: keep them off the cooperative pool.
    let output = try await Task.detached { try command.render() }.value
    FileHandle.standardOutput.write(Data(output.utf8))
  }

  func render() throws -> String {
    let chart = try ChartLoader.load(directory: chart)
    var userValues: ValueTable = [:]
    for file in values {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw HelmError.invalidValues(file: file, message: "the file cannot be read")
      }
      userValues = Coalesce.mergeUserValues(
        userValues, try ChartLoader.readValues([UInt8](data), file: file).objectValue ?? [:])
    }
    for expression in set { try SetValues.apply(expression, to: &userValues) }
    for expression in setString {
      try SetValues.apply(expression, to: &userValues, typing: .string)
    }
    for expression in setFile {
      try SetValues.applyFile(expression, to: &userValues) { path throws(HelmError) in
        guard let data = FileManager.default.contents(atPath: path) else {
          throw .invalidSet(expression: expression, message: "cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
      }
    }
    let options = ReleaseOptions(
      name: name, namespace: namespace,
      capabilities: Capabilities(kubeVersion: kubeVersion, extraAPIVersions: apiVersions))
    let release = try ReleaseRenderer(validateSchema: !skipSchemaValidation).render(
      chart: chart, values: userValues, options: options)
    return try release.templateOutput(
      includeCRDs: includeCRDs, skipTests: skipTests, showOnly: showOnly)
  }
}
