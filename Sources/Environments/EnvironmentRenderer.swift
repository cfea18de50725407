import Helm
import YAML

/// Renders an environment's charts at one revision: the charts and values files read from the
/// revision's files, the image bindings written into the values, every object given the
/// environment's namespace (when namespaced) and tracking marks. Duplicate objects are an error.
public struct EnvironmentRenderer: Sendable {
  /// The Kubernetes version templates see (`.Capabilities.KubeVersion`).
  public var kubeVersion: String

  public init(kubeVersion: String = Capabilities.defaultKubeVersion) {
    self.kubeVersion = kubeVersion
  }

  /// Renders `environment` from `files` with `images` bound into the values.
  public func render(
    _ environment: Environment, files: some SourceFiles, revision: Revision, images: [ImageBinding]
  ) throws(EnvironmentError) -> DesiredState {
    var objects: [RenderedObject] = []
    var sources: [ObjectKey: String] = [:]
    let firstRelease = environment.spec.charts.first?.release
    for chart in environment.spec.charts {
      let bound = environment.spec.images.filter { ($0.chart ?? firstRelease) == chart.release }
      let release = try renderChart(
        chart, environment: environment, files: files,
        images: images.filter { binding in bound.contains { $0.name == binding.name } },
        boundImages: bound)
      for (source, object) in release.objects {
        var object = object
        guard var key = ObjectKey(object: object) else {
          throw .invalid(
            file: source, line: nil, field: "metadata.name",
            message: "a rendered object has no kind or name")
        }
        if key.namespace.isEmpty, !ClusterScopedKinds.contains(group: key.group, kind: key.kind) {
          key.namespace = environment.spec.namespace
          object.set(["metadata", "namespace"], .string(key.namespace))
        }
        if let first = sources[key] {
          throw .invalid(
            file: source, line: nil, field: key.description,
            message: "this object is rendered twice (also by \(first)); names must be unique")
        }
        sources[key] = source
        objects.append(
          RenderedObject(
            key: key, object: TrackingMarks.mark(object, environment: environment.name),
            source: source))
      }
    }
    return DesiredState(
      environment: environment, source: revision, images: images, objects: objects)
  }

  private func renderChart(
    _ chart: Environment.ChartSource, environment: Environment, files: some SourceFiles,
    images: [ImageBinding], boundImages: [EnvironmentImage]
  ) throws(EnvironmentError) -> RenderedRelease {
    do {
      let loaded = try ChartLoader.load(
        files: files.files(under: chart.path), directory: chart.path, source: files.displayName)
      var values: ValueTable = [:]
      for path in chart.values ?? [] {
        guard let bytes = files.file(path) else {
          throw EnvironmentError.missingFile(path: path, neededBy: "chart \(chart.release)")
        }
        values = Coalesce.mergeUserValues(
          values, try ChartLoader.readValues(bytes, file: path).objectValue ?? [:])
      }
      var tree = JSONValue.object(values)
      for binding in images {
        guard let image = boundImages.first(where: { $0.name == binding.name }) else { continue }
        let path = image.values.split(separator: ".").map(String.init)
        if let registry = binding.registry { tree.set(path + ["registry"], .string(registry)) }
        tree.set(path + ["repository"], .string(binding.repository))
        tree.set(path + ["tag"], .string(binding.tag))
        tree.set(path + ["digest"], .string(binding.digest ?? ""))
      }
      let options = ReleaseOptions(
        name: chart.release, namespace: environment.spec.namespace,
        capabilities: Capabilities(kubeVersion: kubeVersion))
      return try ReleaseRenderer().render(
        chart: loaded, values: tree.objectValue ?? [:], options: options)
    } catch let error as HelmError {
      throw .render(chart: chart.path, error)
    } catch let error as EnvironmentError {
      throw error
    } catch {
      throw .render(chart: chart.path, .invalidChart(file: chart.path, message: "\(error)"))
    }
  }
}
