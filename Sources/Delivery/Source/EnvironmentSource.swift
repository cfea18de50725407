import Environments
import Git

/// Where environments are read from: a Git repository and, when there is one, its working tree
/// (the CLI and the CI step have one; the controller's mirror does not). Turns what a person
/// names (a branch, a tag, a commit, the working tree) into a ``Revision`` and reads an
/// environment's files at it.
public struct EnvironmentSource: Sendable {
  public let repository: GitRepository
  /// The working tree's root directory; nil for a bare mirror.
  public let workingTree: String?

  public init(repository: GitRepository, workingTree: String?) {
    self.repository = repository
    self.workingTree = workingTree
  }

  /// The repository whose working tree is `root`.
  public static func open(at root: String) async throws(DeliveryError) -> EnvironmentSource {
    do {
      return EnvironmentSource(
        repository: try await GitRepository.open(at: root), workingTree: root)
    } catch .repositoryNotFound {
      throw .notARepository(path: root)
    } catch {
      throw .git(error)
    }
  }

  /// The revision every verb reads: `name` (a branch, tag or commit) when given, the working
  /// tree with `local`, else HEAD.
  public func revision(_ name: String?, local: Bool = false) async throws(DeliveryError)
    -> Revision
  {
    do {
      if local, name == nil, workingTree != nil {
        return .workingTree(head: try await repository.resolve("HEAD").id)
      }
      return .commit(try await repository.resolve(name ?? "HEAD").id)
    } catch {
      throw .git(error)
    }
  }

  /// Environment `name` at `revision` and the files it names. From a commit only what the
  /// environment names is read (its file, charts and values files), not the whole tree: the
  /// services' sources stay out of memory.
  public func files(of name: String, at revision: Revision) async throws
    -> (environment: Environment, files: any SourceFiles)
  {
    switch revision {
    case .workingTree:
      let files = DirectorySourceFiles(root: workingTree ?? ".")
      return (try EnvironmentLoader.load(name: name, from: files), files)
    case .commit(let commit):
      let file = EnvironmentLoader.path(of: name)
      guard let bytes = try? await repository.file(file, at: commit) else {
        // Let the loader say what is missing, with the environments that do exist.
        let tree = try await repository.subtree(EnvironmentLoader.directory, at: commit)
        var files: [String: [UInt8]] = [:]
        for (path, contents) in tree.files {
          files[EnvironmentLoader.directory + "/" + path] = contents
        }
        let all = FileTree(files: files)
        return (try EnvironmentLoader.load(name: name, from: all), all)
      }
      let environment = try EnvironmentLoader.decode(bytes, file: file)
      var files: [String: [UInt8]] = [file: bytes]
      for chart in environment.spec.charts {
        // A chart path that is not in the commit is reported by the renderer (missing Chart.yaml).
        if let tree = try? await repository.subtree(chart.path, at: commit) {
          for (path, contents) in tree.files { files[chart.path + "/" + path] = contents }
        }
        for values in chart.values ?? [] {
          if let contents = try? await repository.file(values, at: commit) {
            files[values] = contents
          }
        }
      }
      return (environment, FileTree(files: files))
    }
  }
}
