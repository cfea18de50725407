import Blocking
import Git

extension ImageResolver {
  /// The source paths of each image whose files in the working directory `root` differ from
  /// `commit` (edited, added or deleted files): the image's tag is the commit's, so what is built
  /// from the working directory would not match it. Keys are image names; images without changes
  /// are left out.
  ///
  /// The comparison is of file contents, path by path. Files Git ignores are not known here, so an
  /// ignored file inside a source path counts as a change.
  public func uncommittedChanges(
    for environment: Environment, at commit: ObjectID, workingDirectory root: String
  ) async throws(ImageResolverError) -> [String: [String]] {
    let disk = DirectorySourceFiles(root: root)
    var changedPaths: [String: Bool] = [:]
    var result: [String: [String]] = [:]
    for image in environment.spec.images {
      for path in image.sourcePaths {
        let changed: Bool
        if let known = changedPaths[path] {
          changed = known
        } else {
          changed = try await differs(path, at: commit, from: disk)
          changedPaths[path] = changed
        }
        if changed { result[image.name, default: []].append(path) }
      }
    }
    return result
  }

  private func differs(_ path: String, at commit: ObjectID, from disk: DirectorySourceFiles)
    async throws(ImageResolverError) -> Bool
  {
    do {
      let committed = try await repository.subtree(path, at: commit)
      let current = await offPool { disk.files(under: path) }
      guard committed.files.count == current.count else { return true }
      return committed.files.contains { relative, bytes in current[path + "/" + relative] != bytes }
    } catch .wrongObjectKind {
      // A file, not a directory.
      do {
        let committed = try await repository.file(path, at: commit)
        return await offPool { disk.file(path) } != committed
      } catch {
        throw .git(error)
      }
    } catch .pathNotFound {
      throw .sourcePathMissing(image: "(working directory)", path: path, commit: commit.hex)
    } catch {
      throw .git(error)
    }
  }
}
