import Environments
import Git

/// Loads an environment and renders its desired state at a revision, from a Git commit or a working
/// directory, with image bindings from a provider. Rendering is pure: a chart that fails to render
/// throws here, before anything reaches the cluster.
public struct DesiredStateLoader: Sendable {
  public var renderer: EnvironmentRenderer
  public var images: any ImageBindingProvider

  public init(
    images: any ImageBindingProvider, renderer: EnvironmentRenderer = EnvironmentRenderer()
  ) {
    self.images = images
    self.renderer = renderer
  }

  /// Renders environment `name` from `files` (a commit's tree or a directory) at `revision`.
  public func load(environment name: String, files: any SourceFiles, revision: String) async throws
    -> DesiredState
  {
    let environment = try EnvironmentLoader.load(name: name, from: files)
    let bindings = try await images.bindings(for: environment, files: files, revision: revision)
    return try renderer.render(environment, files: files, revision: revision, images: bindings)
  }

  /// Renders environment `name` at a commit of `repository` (a revision: branch, tag or commit id).
  /// Only what the environment names is read from the commit (its file, its charts, its values
  /// files), not the whole tree: the services' sources stay out of memory.
  public func load(environment name: String, repository: GitRepository, revision: String)
    async throws -> DesiredState
  {
    let commit = try await repository.resolve(revision)
    let file = EnvironmentLoader.path(of: name)
    guard let bytes = try? await repository.file(file, at: commit.id) else {
      // Let the loader say what is missing, with the environments that do exist.
      let tree = try await repository.subtree(EnvironmentLoader.directory, at: commit.id)
      var files: [String: [UInt8]] = [:]
      for (path, contents) in tree.files {
        files[EnvironmentLoader.directory + "/" + path] = contents
      }
      return try await load(
        environment: name, files: FileTree(files: files), revision: commit.id.hex)
    }
    let environment = try EnvironmentLoader.decode(bytes, file: file)
    var files: [String: [UInt8]] = [file: bytes]
    for chart in environment.spec.charts {
      // A chart path that is not in the commit is reported by the loader (missing Chart.yaml).
      if let tree = try? await repository.subtree(chart.path, at: commit.id) {
        for (path, contents) in tree.files { files[chart.path + "/" + path] = contents }
      }
      for values in chart.values ?? [] {
        if let contents = try? await repository.file(values, at: commit.id) {
          files[values] = contents
        }
      }
    }
    return try await load(environment: name, files: FileTree(files: files), revision: commit.id.hex)
  }
}
