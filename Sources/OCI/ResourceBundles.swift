import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Finds the SwiftPM resource bundles an executable uses and turns directories into layer entries.
public enum ResourceBundles {
  /// The `<Package>_<Target>.resources` directories next to `executable` that it refers to. SwiftPM's
  /// generated accessor embeds the bundle's name in the binary, so a bundle whose name does not occur in
  /// the executable belongs to another product (or a test) built into the same directory.
  public static func find(forExecutable executable: String) throws(OCIError) -> [String] {
    let directory = (executable as NSString).deletingLastPathComponent
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
        .filter { $0.hasSuffix(".resources") }.sorted()
    } catch {
      throw .fileSystem(path: directory, operation: "list", reason: "\(error)")
    }
    guard !names.isEmpty else { return [] }
    let binary: Data
    do {
      binary = try Data(contentsOf: URL(fileURLWithPath: executable), options: .alwaysMapped)
    } catch {
      throw .fileSystem(path: executable, operation: "read", reason: "\(error)")
    }
    return names.filter { binary.range(of: Data($0.utf8)) != nil }.map { directory + "/" + $0 }
  }

  /// Entries copying the tree at `source` to `destination` in the image: directories, regular files
  /// with their permission bits, and symbolic links as links.
  public static func entries(copying source: String, to destination: String) throws(OCIError)
    -> [LayerEntry]
  {
    var entries: [LayerEntry] = [.directory(destination)]
    guard let walker = FileManager.default.enumerator(atPath: source) else {
      throw .fileSystem(path: source, operation: "list", reason: "it is missing or unreadable")
    }
    while let relative = walker.nextObject() as? String {
      let hostPath = source + "/" + relative
      let imagePath = destination + "/" + relative
      var status = stat()
      guard lstat(hostPath, &status) == 0 else {
        throw .fileSystem(path: hostPath, operation: "stat", reason: lastErrorText())
      }
      let mode = UInt32(status.st_mode) & 0o7777
      switch status.st_mode & S_IFMT {
      case S_IFDIR: entries.append(.directory(imagePath, mode: mode))
      case S_IFREG: entries.append(.file(imagePath, from: hostPath, mode: mode))
      case S_IFLNK:
        let target: String
        do {
          target = try FileManager.default.destinationOfSymbolicLink(atPath: hostPath)
        } catch {
          throw .fileSystem(path: hostPath, operation: "read the link", reason: "\(error)")
        }
        entries.append(.symlink(imagePath, to: target))
      default:
        throw .invalidLayerPath(hostPath, reason: "only files, directories and links can be copied")
      }
    }
    return entries
  }
}
