import Environments
import Git

/// The commit a run builds, and the files of it that rendering needs (the environments and the
/// charts and values files the environment names), read from Git's object database: the work
/// tree's uncommitted changes never leak into what is rendered.
struct SourceRevision: Sendable {
  var repository: GitRepository
  var commit: Commit
  /// `GITHUB_SHA`, `--revision` or `HEAD`: where the commit came from, for the log.
  var origin: String
  var files: FileTree

  static func resolve(options: CIOptions) async throws(PipelineError) -> SourceRevision {
    let reference: String
    let origin: String
    if let given = options.revision {
      (reference, origin) = (given, "--revision \(given)")
    } else if let sha = options.processEnvironment["GITHUB_SHA"], !sha.isEmpty {
      (reference, origin) = (sha, "GITHUB_SHA")
    } else {
      (reference, origin) = ("HEAD", "HEAD")
    }
    do {
      let repository = try await GitRepository.open(at: options.repositoryPath)
      let commit = try await repository.resolve(reference)
      var files = FileTree()
      try await add(EnvironmentLoader.directory, from: repository, commit: commit.id, to: &files)
      // The environment file names the charts and values to read; a broken file is reported by
      // the loader afterwards, with its line.
      let path = EnvironmentLoader.path(of: options.environment)
      if let bytes = files.files[path],
        let environment = try? EnvironmentLoader.decode(bytes, file: path)
      {
        for chart in environment.spec.charts {
          try await add(chart.path, from: repository, commit: commit.id, to: &files)
          for values in chart.values ?? [] where files.files[values] == nil {
            if let bytes = try? await repository.file(values, at: commit.id) {
              files.files[values] = bytes
            }
          }
        }
      }
      return SourceRevision(repository: repository, commit: commit, origin: origin, files: files)
    } catch {
      throw .revision(
        "cannot read revision \(reference) of the repository at \(options.repositoryPath): "
          + "\(error)")
    }
  }

  /// Adds the files under `directory` (paths from the repository root); a missing directory adds
  /// nothing (the loader then names what is missing).
  private static func add(
    _ directory: String, from repository: GitRepository, commit: ObjectID, to files: inout FileTree
  ) async throws(GitError) {
    let subtree: FileTree
    do {
      subtree = try await repository.subtree(directory, at: commit)
    } catch {
      if case .pathNotFound = error { return }
      throw error
    }
    for (path, bytes) in subtree.files { files.files[directory + "/" + path] = bytes }
  }
}
