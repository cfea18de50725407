/// Where an image is read from or written to: a tag in a local OCI layout (`oci:DIR:TAG`) or a
/// repository in a registry (`registry/repo:tag@digest`, with Docker Hub's defaults).
public enum ImageReference: Hashable, Sendable, CustomStringConvertible {
  case layout(LayoutReference)
  case registry(RegistryReference)

  /// Parses `oci:DIR[:TAG]` (the tag defaults to `latest`; as in skopeo, DIR ends at the first `:`),
  /// or a registry reference, optionally prefixed `docker://`.
  public init(parsing text: String) throws(OCIError) {
    if text.hasPrefix("oci:") {
      self = .layout(try LayoutReference(parsing: text))
    } else {
      let registryText = text.hasPrefix("docker://") ? String(text.dropFirst(9)) : text
      self = .registry(try RegistryReference(parsing: registryText, original: text))
    }
  }

  public var description: String {
    switch self {
    case .layout(let reference): return reference.description
    case .registry(let reference): return reference.description
    }
  }

  /// Checks a tag against the distribution spec: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`.
  public static func validateTag(_ tag: String) throws(OCIError) {
    let bytes = Array(tag.utf8)
    func isWord(_ byte: UInt8) -> Bool {
      (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
        || byte == UInt8(ascii: "_")
    }
    guard let first = bytes.first, isWord(first), bytes.count <= 128,
      bytes.allSatisfy({ isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
    else { throw .invalidTag(tag) }
  }
}

/// `oci:DIR:TAG`: a tagged image in an OCI image layout directory.
public struct LayoutReference: Hashable, Sendable, CustomStringConvertible {
  public var path: String
  public var tag: String

  public init(path: String, tag: String) throws(OCIError) {
    guard !path.isEmpty else {
      throw .invalidReference("oci:\(path):\(tag)", reason: "the directory is empty")
    }
    try ImageReference.validateTag(tag)
    self.path = path
    self.tag = tag
  }

  /// Parses `oci:DIR[:TAG]`.
  public init(parsing text: String) throws(OCIError) {
    guard text.hasPrefix("oci:") else {
      throw .invalidReference(text, reason: "a layout reference starts with oci:")
    }
    let rest = text.dropFirst(4)
    if let colon = rest.firstIndex(of: ":") {
      try self.init(path: String(rest[..<colon]), tag: String(rest[rest.index(after: colon)...]))
    } else {
      try self.init(path: String(rest), tag: "latest")
    }
  }

  public var description: String { "oci:\(path):\(tag)" }
}

/// A repository in a registry, with a tag, a digest or both.
public struct RegistryReference: Hashable, Sendable, CustomStringConvertible {
  /// The registry host (and port): `docker.io` when the reference names none.
  public var registry: String
  /// The repository path: `library/swift` for `swift` on Docker Hub.
  public var repository: String
  /// The tag: `latest` when the reference names neither tag nor digest.
  public var tag: String?
  public var digest: Digest?

  /// Parses `[registry/]repository[:tag][@sha256:hex]`. The first component is a registry when it holds
  /// a `.` or a `:` or is `localhost`, as Docker decides.
  public init(parsing text: String, original: String? = nil) throws(OCIError) {
    let shown = original ?? text
    var rest = Substring(text)
    var digest: Digest?
    if let at = rest.firstIndex(of: "@") {
      do {
        digest = try Digest(parsing: String(rest[rest.index(after: at)...]))
      } catch {
        throw .invalidReference(shown, reason: error.description)
      }
      rest = rest[..<at]
    }
    var tag: String?
    if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
      let tagText = String(rest[rest.index(after: colon)...])
      do {
        try ImageReference.validateTag(tagText)
      } catch {
        throw .invalidReference(shown, reason: error.description)
      }
      tag = tagText
      rest = rest[..<colon]
    }
    var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    var registry = "docker.io"
    if components.count > 1,
      components[0].contains(".") || components[0].contains(":") || components[0] == "localhost"
    {
      registry = components.removeFirst()
    }
    if registry == "index.docker.io" || registry == "registry-1.docker.io" {
      registry = "docker.io"
    }
    guard !components.isEmpty, components.allSatisfy(Self.isValidPathComponent) else {
      throw .invalidReference(
        shown,
        reason:
          "repository path components are lowercase letters and digits, separated by '.', '_', "
          + "'__' or dashes")
    }
    if registry == "docker.io" && components.count == 1 { components.insert("library", at: 0) }
    self.registry = registry
    self.repository = components.joined(separator: "/")
    self.tag = tag ?? (digest == nil ? "latest" : nil)
    self.digest = digest
  }

  public var description: String {
    var text = "\(registry)/\(repository)"
    if let tag { text += ":\(tag)" }
    if let digest { text += "@\(digest)" }
    return text
  }

  /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
  static func isValidPathComponent(_ component: String) -> Bool {
    let bytes = Array(component.utf8)
    func isAlphanumeric(_ byte: UInt8) -> Bool {
      (48...57).contains(byte) || (97...122).contains(byte)
    }
    guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first),
      isAlphanumeric(last)
    else { return false }
    var index = 0
    while index < bytes.count {
      if isAlphanumeric(bytes[index]) {
        index += 1
        continue
      }
      var end = index
      while end < bytes.count && !isAlphanumeric(bytes[end]) { end += 1 }
      let separator = String(decoding: bytes[index..<end], as: UTF8.self)
      let valid =
        separator == "." || separator == "_" || separator == "__"
        || separator.allSatisfy { $0 == "-" }
      guard valid else { return false }
      index = end
    }
    return true
  }
}
