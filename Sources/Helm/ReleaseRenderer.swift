import GoTemplate
import YAML

/// A rendered release: what `helm template` prints, and the parsed objects for the engine.
public struct RenderedRelease: Sendable {
  /// The manifests in install order (without hooks and CRDs).
  public var manifests: [Manifest]
  /// The hooks in kind order.
  public var hooks: [Hook]
  /// The CRD files of the chart and its subcharts (`crds/`), not templated.
  public var crds: [(path: String, content: String)]
  /// The root chart's rendered NOTES.txt, or "".
  public var notes: String
  /// Every template's raw output, by template path.
  public var rendered: [TemplateEngine.RenderedTemplate]
  /// The values the templates saw (coalesced).
  public var values: ValueTable

  /// Helm's release manifest: each manifest as `---\n# Source: path\ncontent\n`, CRDs first
  /// when `includeCRDs`.
  public func releaseManifest(includeCRDs: Bool = false) -> String {
    var output = ""
    if includeCRDs {
      for crd in crds { output += "---\n# Source: \(crd.path)\n\(crd.content)\n" }
    }
    for manifest in manifests {
      output += "---\n# Source: \(manifest.source)\n\(manifest.content)\n"
    }
    return output
  }

  /// The output of `helm template`: the release manifest trimmed, then the hooks (without test
  /// hooks when `skipTests`); with `showOnly`, only the documents of matching templates.
  public func templateOutput(
    includeCRDs: Bool = false, skipTests: Bool = false, showOnly: [String] = []
  ) throws(HelmError) -> String {
    var output = releaseManifest(includeCRDs: includeCRDs).trimmingWhitespace() + "\n"
    for hook in hooks where !(skipTests && hook.events.contains("test")) {
      output += "---\n# Source: \(hook.manifest.source)\n\(hook.manifest.content)\n"
    }
    guard !showOnly.isEmpty else { return output }
    let documents = ManifestSorter.split(output)
    var selected = ""
    for pattern in showOnly {
      let glob = GlobPattern(pattern)
      var found = false
      for document in documents {
        guard let range = document.range(of: "# Source: ") else { continue }
        let line = document[range.upperBound...].prefix { $0 != "\n" }
        guard let slash = line.firstIndex(of: "/") else { continue }
        guard glob.matches(String(line[line.index(after: slash)...])) else { continue }
        selected += "---\n\(document)\n"
        found = true
      }
      if !found { throw .templateNotFound(pattern) }
    }
    return selected
  }

  /// Every manifest, hook included, as parsed objects with their source template (documents
  /// that are only comments are left out).
  public var objects: [(source: String, object: JSONValue)] {
    (manifests + hooks.map(\.manifest)).compactMap { manifest in
      manifest.object.isNull ? nil : (manifest.source, manifest.object)
    }
  }
}

/// Renders a chart as `helm template` does: dependencies processed with the user's values,
/// values coalesced and checked against the charts' schemas, templates rendered, output split
/// into manifests and hooks and sorted for installation.
public struct ReleaseRenderer: Sendable {
  /// The template engine (and so the function map) to render with.
  public var engine: TemplateEngine
  /// Whether to check values against `values.schema.json` files.
  public var validateSchema: Bool

  /// Creates a renderer.
  public init(engine: TemplateEngine = TemplateEngine(), validateSchema: Bool = true) {
    self.engine = engine
    self.validateSchema = validateSchema
  }

  /// Renders `chart` with the user's `values` (already merged from files and `--set`).
  public func render(chart: Chart, values: ValueTable, options: ReleaseOptions = ReleaseOptions())
    throws(HelmError) -> RenderedRelease
  {
    // What `helm template` checks before rendering.
    guard ReleaseOptions.isValidReleaseName(options.name) else {
      throw .invalidReleaseName(options.name)
    }
    if chart.isLibrary { throw .notInstallable(type: chart.metadata.type) }
    let missing = chart.metadata.dependencies.map(\.name).filter { name in
      !chart.dependencies.contains { $0.name == name }
    }
    if !missing.isEmpty { throw .missingDependencies(missing) }
    if !chart.metadata.kubeVersion.isEmpty,
      !SemverRange.isCompatible(
        constraint: chart.metadata.kubeVersion, version: options.capabilities.kubeVersion)
    {
      throw .incompatibleKubeVersion(
        required: chart.metadata.kubeVersion, actual: options.capabilities.kubeVersion)
    }
    let processed = try ChartDependencies.process(chart, values: values)
    let coalesced = try Coalesce.values(processed, values)
    if validateSchema { try SchemaValidation.validate(chart: processed, values: coalesced) }
    let rendered = try engine.render(chart: processed, values: coalesced, options: options)
    let (hooks, manifests) = try ManifestSorter.sort(rendered)
    let notes =
      rendered.first { $0.name == processed.fullPath + "/templates/NOTES.txt" }?.text ?? ""
    return RenderedRelease(
      manifests: manifests, hooks: hooks,
      crds: processed.crdFiles.map { ($0.path, $0.file.text) }, notes: notes, rendered: rendered,
      values: coalesced)
  }
}
