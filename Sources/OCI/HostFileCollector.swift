#if canImport(Glibc)
  import Glibc
#endif

/// Copies paths of the build machine into layer entries exactly as they are laid out there: every
/// symbolic link met on the way (`/lib` → `usr/lib`, `libc.so.6` → `libc-2.36.so`) becomes a link in
/// the layer and the file it ends at is copied under its real path, so the paths a program was linked
/// against resolve in the container as they do on the host.
struct HostFileCollector {
  private(set) var entries: [String: LayerEntry] = [:]

  /// Adds `path` (absolute), the links leading to it and the regular file it ends at.
  mutating func add(_ path: String) throws(OCIError) {
    var pending = path.split(separator: "/").map(String.init)
    var resolved: [String] = []
    var linksFollowed = 0
    while !pending.isEmpty {
      let component = pending.removeFirst()
      if component == "." { continue }
      if component == ".." {
        _ = resolved.popLast()
        continue
      }
      let candidate = "/" + (resolved + [component]).joined(separator: "/")
      var status = stat()
      guard lstat(candidate, &status) == 0 else {
        throw .fileSystem(
          path: candidate, operation: "find (needed for \(path))", reason: lastErrorText())
      }
      switch status.st_mode & S_IFMT {
      case S_IFLNK:
        linksFollowed += 1
        guard linksFollowed <= 40 else {
          throw .fileSystem(path: path, operation: "resolve", reason: "too many symbolic links")
        }
        let target = try Self.readLink(candidate)
        entries[candidate] = .symlink(candidate, to: target)
        if target.hasPrefix("/") { resolved = [] }
        pending = target.split(separator: "/").map(String.init) + pending
      case S_IFDIR:
        resolved.append(component)
        if pending.isEmpty { entries[candidate] = .directory(candidate) }
      case S_IFREG:
        guard pending.isEmpty else {
          throw .fileSystem(
            path: path, operation: "resolve", reason: "\(candidate) is not a directory")
        }
        entries[candidate] = .file(
          candidate, from: candidate, mode: UInt32(status.st_mode) & 0o7777)
      default:
        throw .invalidLayerPath(
          candidate, reason: "only files, directories and links can be copied")
      }
    }
  }

  private static func readLink(_ path: String) throws(OCIError) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else {
      throw .fileSystem(path: path, operation: "read the link", reason: lastErrorText())
    }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
