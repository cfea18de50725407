/// The tag of a service image derived from what it is built from, so that the same sources give
/// the same tag and a build whose tag already exists in the registry can be skipped.
///
/// The inputs are the base image's name, the product's name, and each source path with the Git
/// object id (a tree for a directory, a blob for a file) it has in the commit being built. The
/// tag is `src-` followed by the first 20 hex digits (80 bits) of the SHA-256 of this encoding:
///
/// ```
/// "tripgen-source-tag/1\n"
/// field(base) field(product) field(decimal count of paths)
/// then, for each path in ascending order of its UTF-8 bytes: field(path) field(object id)
/// ```
///
/// where `field(s)` is the decimal byte length of `s`, `:`, the UTF-8 bytes of `s`, then `\n`
/// (a netstring with a newline). Lengths make the encoding unambiguous whatever the names hold
/// (a newline or a `:` in a path cannot make two inputs encode alike); sorting makes it
/// independent of the order the paths were listed in. Object ids are lowercased; paths are taken
/// as Git names them: relative to the repository root, `/`-separated, with no leading or
/// trailing `/`, no empty, `.` or `..` component (anything else is refused, so that one
/// directory cannot be spelled two ways).
///
/// Changing any byte of this encoding changes every tag: it is versioned by its first line.
public struct SourceAddressedTag: Hashable, Sendable, CustomStringConvertible {
  /// One source path and the Git object id it has in the commit.
  public struct Source: Hashable, Sendable {
    /// The path from the repository root, `/`-separated, without a leading `/`.
    public var path: String
    /// The hex id of the tree or blob at `path` (40 digits for SHA-1, 64 for SHA-256 Git).
    public var objectID: String

    public init(path: String, objectID: String) {
      self.path = path
      self.objectID = objectID
    }
  }

  /// Why the inputs cannot make a tag.
  public enum InputError: Error, Equatable, CustomStringConvertible {
    case noSources
    case emptyName(field: String)
    case invalidPath(String, reason: String)
    case duplicatePath(String)
    case invalidObjectID(path: String, objectID: String)

    public var description: String {
      switch self {
      case .noSources:
        return "a source-addressed tag needs at least one source path"
      case .emptyName(let field):
        return "a source-addressed tag needs a non-empty \(field)"
      case .invalidPath(let path, let reason):
        return "source path '\(path)' \(reason); give paths from the repository root, like "
          + "services/user"
      case .duplicatePath(let path):
        return "source path '\(path)' is listed twice; list each path once"
      case .invalidObjectID(let path, let objectID):
        return "the object id '\(objectID)' of source path '\(path)' is not 40 or 64 hex digits"
      }
    }
  }

  /// The prefix every source-addressed tag starts with.
  public static let prefix = "src-"
  /// How many hex digits of the hash the tag keeps.
  public static let hexDigits = 20

  /// `src-` and 20 hex digits.
  public let tag: String

  /// The tag of an image of `product` on `base` (as the user names it, e.g. `host-runtime` or
  /// `mcr.microsoft.com/azurelinux/base/core:3.0`) built from `sources`.
  public init(sources: [Source], base: String, product: String) throws(InputError) {
    tag =
      Self.prefix
      + String(
        try Self.hash(sources: sources, base: base, product: product)
          .prefix(Self.hexDigits))
  }

  public var description: String { tag }

  /// The encoding described in the type's documentation.
  public static func canonicalEncoding(sources: [Source], base: String, product: String)
    throws(InputError) -> [UInt8]
  {
    guard !base.isEmpty else { throw .emptyName(field: "base image name") }
    guard !product.isEmpty else { throw .emptyName(field: "product name") }
    guard !sources.isEmpty else { throw .noSources }
    var normalized: [Source] = []
    for source in sources {
      try validate(path: source.path)
      let objectID = source.objectID.lowercased()
      let isHex = objectID.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
      guard isHex, objectID.utf8.count == 40 || objectID.utf8.count == 64 else {
        throw .invalidObjectID(path: source.path, objectID: source.objectID)
      }
      normalized.append(Source(path: source.path, objectID: objectID))
    }
    normalized.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    for (first, second) in zip(normalized, normalized.dropFirst()) where first.path == second.path {
      throw .duplicatePath(first.path)
    }
    var bytes = Array("tripgen-source-tag/1\n".utf8)
    func field(_ text: String) {
      bytes += Array("\(text.utf8.count):".utf8) + Array(text.utf8) + [UInt8(ascii: "\n")]
    }
    field(base)
    field(product)
    field(String(normalized.count))
    for source in normalized {
      field(source.path)
      field(source.objectID)
    }
    return bytes
  }

  /// The full SHA-256 of the canonical encoding, in hex.
  static func hash(sources: [Source], base: String, product: String) throws(InputError) -> String {
    Digest(of: try canonicalEncoding(sources: sources, base: base, product: product)).hex
  }

  private static func validate(path: String) throws(InputError) {
    guard !path.isEmpty else { throw .invalidPath(path, reason: "is empty") }
    guard !path.hasPrefix("/") else { throw .invalidPath(path, reason: "starts with /") }
    guard !path.utf8.contains(0) else { throw .invalidPath(path, reason: "holds a NUL byte") }
    let components = path.split(separator: "/", omittingEmptySubsequences: false)
    if components.contains(where: { $0 == "." || $0 == ".." }) {
      throw .invalidPath(path, reason: "holds a . or .. component")
    }
    if components.contains(where: \.isEmpty) {
      throw .invalidPath(path, reason: "holds an empty component (// or a trailing /)")
    }
  }
}
