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
  public func load(environment name: String, repository: GitRepository, revision: String)
    async throws -> DesiredState
  {
    let commit = try await repository.resolve(revision)
    let tree = try await repository.subtree("", at: commit.id)
    return try await load(environment: name, files: tree, revision: commit.id.hex)
  }
}
