/// Files read from a commit into memory: path (relative to the directory that was read, `/`-separated)
/// to contents. Renderers read charts and values from it without a work tree.
public struct FileTree: Sendable, Equatable {
  /// Regular and executable files.
  public var files: [String: [UInt8]]
  /// Symbolic links, as the target path Git stores for them.
  public var symlinks: [String: String]
  /// Submodules (gitlinks): the commit each points to. Their contents are not in this repository.
  public var submodules: [String: ObjectID]

  public init(
    files: [String: [UInt8]] = [:], symlinks: [String: String] = [:],
    submodules: [String: ObjectID] = [:]
  ) {
    self.files = files
    self.symlinks = symlinks
    self.submodules = submodules
  }

  /// The contents of the file at `path`, or nil.
  public subscript(path: String) -> [UInt8]? { files[path] }

  /// The contents of the file at `path` as UTF-8 text (invalid bytes replaced), or nil.
  public func text(_ path: String) -> String? {
    files[path].map { String(decoding: $0, as: UTF8.self) }
  }

  /// The file paths, sorted.
  public var paths: [String] { files.keys.sorted() }

  /// The total size of the files, in bytes.
  public var totalBytes: Int { files.values.reduce(0) { $0 + $1.count } }

  /// The files under `directory`, with paths relative to it.
  public func subtree(_ directory: String) -> FileTree {
    let prefix = directory.hasSuffix("/") ? directory : directory + "/"
    func under<Value>(_ map: [String: Value]) -> [String: Value] {
      var result: [String: Value] = [:]
      for (path, value) in map where path.hasPrefix(prefix) {
        result[String(path.dropFirst(prefix.count))] = value
      }
      return result
    }
    return FileTree(files: under(files), symlinks: under(symlinks), submodules: under(submodules))
  }
}

/// One entry of a directory listing at a commit.
public struct TreeEntry: Sendable, Hashable, Codable {
  /// What an entry is, from its Git file mode.
  public enum Kind: String, Sendable, Codable {
    case file, executable, symlink, directory, submodule
  }

  /// The entry's name within its directory.
  public var name: String
  /// The path from the repository root.
  public var path: String
  /// What it is.
  public var kind: Kind
  /// The blob, tree or (for submodules) commit id.
  public var id: ObjectID
}
