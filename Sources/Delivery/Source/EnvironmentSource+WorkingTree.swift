import Blocking
import Environments
import Foundation
import Git

extension EnvironmentSource {
  /// The files environment `name` reads at `revision` (its file, charts, values files) whose copy
  /// in the working tree differs or is gone: what a person editing them expects to see and a
  /// commit does not have yet. Empty without a working tree or for the working tree itself.
  public func uncommittedChanges(of name: String, at revision: Revision) async throws -> [String] {
    guard let root = workingTree, !revision.isWorkingTree else { return [] }
    let (_, files) = try await self.files(of: name, at: revision)
    guard let tree = files as? FileTree else { return [] }
    let disk = DirectorySourceFiles(root: root)
    return await offPool {
      tree.files.keys.sorted().filter { path in disk.file(path) != tree.files[path] }
    }
  }
}
