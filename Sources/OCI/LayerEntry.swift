/// One file system object in a layer: its absolute path in the image, what it is, and its mode.
/// Owners default to root; times are not recorded per entry (the layer writer stamps one fixed time
/// on every entry so that layers are reproducible).
public struct LayerEntry: Sendable, Hashable {
  /// What the entry is and where its content comes from.
  public enum Kind: Sendable, Hashable {
    case directory
    /// A regular file whose content is read from `source` on the build machine when the layer is written.
    case file(source: String)
    /// A regular file with the given content.
    case bytes([UInt8])
    case symlink(target: String)
  }

  /// The absolute path in the image, e.g. `/app/server`.
  public var path: String
  public var kind: Kind
  /// Permission bits, including setuid/setgid/sticky (e.g. `0o1777` for /tmp).
  public var mode: UInt32
  public var uid: Int
  public var gid: Int

  public init(path: String, kind: Kind, mode: UInt32, uid: Int = 0, gid: Int = 0) {
    self.path = path
    self.kind = kind
    self.mode = mode
    self.uid = uid
    self.gid = gid
  }

  /// A directory with the usual `0755` mode.
  public static func directory(_ path: String, mode: UInt32 = 0o755) -> LayerEntry {
    LayerEntry(path: path, kind: .directory, mode: mode)
  }

  /// A regular file copied from `source`.
  public static func file(_ path: String, from source: String, mode: UInt32) -> LayerEntry {
    LayerEntry(path: path, kind: .file(source: source), mode: mode)
  }

  /// A regular file with the given text.
  public static func text(_ path: String, _ text: String, mode: UInt32 = 0o644) -> LayerEntry {
    LayerEntry(path: path, kind: .bytes(Array(text.utf8)), mode: mode)
  }

  /// A symbolic link to `target` (kept as written: relative targets stay relative).
  public static func symlink(_ path: String, to target: String) -> LayerEntry {
    LayerEntry(path: path, kind: .symlink(target: target), mode: 0o777)
  }
}

/// The path components of an absolute or relative image path, without empty or `.` components.
/// Rejects `..`, which could escape the root when the layer is unpacked.
func layerPathComponents(_ path: String) throws(OCIError) -> [Substring] {
  let components = path.split(separator: "/").filter { $0 != "." }
  guard !components.isEmpty else { throw .invalidLayerPath(path, reason: "it names the root") }
  guard !components.contains("..") else {
    throw .invalidLayerPath(path, reason: "'..' could escape the image root")
  }
  guard !path.utf8.contains(0) else { throw .invalidLayerPath(path, reason: "it contains NUL") }
  return components
}
