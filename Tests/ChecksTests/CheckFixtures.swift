import Checks
import Environments
import Foundation
import Git
import YAML

/// The repository's charts and environments, read into memory so a test can break one file and
/// render again without touching the checkout.
enum CheckFixtures {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  static let digest = "sha256:" + String(repeating: "ab", count: 32)

  /// Every file under charts/ and environments/.
  static func repositoryFiles() -> [String: [UInt8]] {
    let directory = DirectorySourceFiles(root: root)
    return directory.files(under: "charts").merging(directory.files(under: "environments")) {
      first, _ in first
    }
  }

  /// `files` with `edit` applied to the text of `path`.
  static func editing(
    _ path: String, in files: [String: [UInt8]], _ edit: (String) -> String
  ) -> [String: [UInt8]] {
    var files = files
    let text = String(decoding: files[path] ?? [], as: UTF8.self)
    files[path] = Array(edit(text).utf8)
    return files
  }

  /// The environment rendered from `files`, its images bound to a tag and (by default) a digest.
  static func render(
    _ name: String, files: [String: [UInt8]] = repositoryFiles(), digest: String? = Self.digest
  ) throws -> (state: DesiredState, files: FileTree) {
    let tree = FileTree(files: files)
    let environment = try EnvironmentLoader.load(name: name, from: tree)
    let bindings = environment.spec.images.map {
      ImageBinding(
        name: $0.name, registry: environment.spec.registry.host, repository: $0.repositoryName,
        tag: "src-0123456789abcdef0123", digest: digest)
    }
    let state = try EnvironmentRenderer().render(
      environment, files: tree,
      revision: .commit(ObjectID(hex: "0123456789abcdef0123456789abcdef01234567")!),
      images: bindings)
    return (state, tree)
  }

  static func check(_ name: String, files: [String: [UInt8]] = repositoryFiles()) throws
    -> CheckReport
  {
    let (state, tree) = try render(name, files: files)
    return EnvironmentCheck.run(state, files: tree)
  }
}
