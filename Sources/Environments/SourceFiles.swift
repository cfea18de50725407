import Foundation
import Git

/// The repository's files at one revision: a working directory or a Git commit's tree. Paths are
/// `/`-separated and relative to the repository root.
public protocol SourceFiles: Sendable {
  /// The file's bytes, or nil when there is no such file.
  func file(_ path: String) -> [UInt8]?
  /// Every file under `directory` (keys keep the full path from the repository root).
  func files(under directory: String) -> [String: [UInt8]]
  /// The names of the entries directly inside `directory`.
  func entries(of directory: String) -> [String]
  /// A name for messages: the directory path, or `repository@commit`.
  var displayName: String { get }
}

/// A Git commit's tree, already read into memory.
extension FileTree: SourceFiles {
  public func file(_ path: String) -> [UInt8]? { files[path] }

  public func files(under directory: String) -> [String: [UInt8]] {
    let prefix = directory.hasSuffix("/") ? directory : directory + "/"
    return files.filter { $0.key.hasPrefix(prefix) }
  }

  public func entries(of directory: String) -> [String] {
    let prefix = directory.isEmpty ? "" : (directory.hasSuffix("/") ? directory : directory + "/")
    var names: Set<String> = []
    for path in files.keys where path.hasPrefix(prefix) {
      names.insert(String(path.dropFirst(prefix.count).prefix { $0 != "/" }))
    }
    return names.sorted()
  }

  public var displayName: String { "the Git tree" }
}

/// A directory on disk (a working copy), read as the files it holds now.
public struct DirectorySourceFiles: SourceFiles {
  /// The repository root.
  public let root: String

  public init(root: String) { self.root = root }

  public var displayName: String { root }

  public func file(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: root + "/" + path).map { [UInt8]($0) }
  }

  public func files(under directory: String) -> [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    let base = root + "/" + directory
    guard let walker = FileManager.default.enumerator(atPath: base) else { return [:] }
    while let relative = walker.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let full = base + "/" + relative
      guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory),
        !isDirectory.boolValue, let data = FileManager.default.contents(atPath: full)
      else { continue }
      result[directory + "/" + relative] = [UInt8](data)
    }
    return result
  }

  public func entries(of directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + directory)) ?? []).sorted()
  }
}
