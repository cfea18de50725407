import CGit2

/// A remote repository's location, split from any credentials written into it.
///
/// Accepts `https://`, `http://`, `git://`, `ssh://` and `file://` URLs, scp-like `user@host:org/repo`,
/// and plain paths. Userinfo (`https://user:token@host/...`) is taken out of the URL: libgit2 is given
/// the URL without it and the credentials are offered through the credentials callback, so they never
/// end up in a mirror's config, in libgit2's messages, or in ours.
public struct RemoteURL: Sendable, Hashable, CustomStringConvertible {
  /// How the remote is reached.
  public enum Transport: String, Sendable {
    case file, git, http, https, ssh
  }

  /// The transport the URL selects.
  public let transport: Transport
  /// The URL without userinfo: safe to print, and what libgit2 is given.
  public let url: String
  /// The host, for network transports.
  public let host: String?
  /// The port, when the URL names one.
  public let port: Int?
  /// The path on the host (or on this machine, for `file`).
  public let path: String
  /// The user name written into the URL, if any.
  public let username: String?
  /// The password or token written into the URL, if any. Never printed.
  let password: String?

  public var description: String { url }

  /// Parses a remote location. Throws when it names no host or path.
  public init(_ text: String) throws(GitError) {
    if let schemeEnd = text.firstRange(of: "://") {
      let scheme = text[..<schemeEnd.lowerBound].lowercased()
      guard let transport = Transport(rawValue: scheme) else {
        throw .invalidRemoteURL(
          Self.redact(text),
          reason: "unsupported scheme '\(scheme)'; use https, http, git, ssh or file")
      }
      let rest = text[schemeEnd.upperBound...]
      if transport == .file {
        self.init(
          transport: .file, url: "file://" + rest, host: nil, port: nil, path: String(rest),
          username: nil, password: nil)
        return
      }
      let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
      var authority = rest[..<authorityEnd]
      let path = String(rest[authorityEnd...])
      var username: String?
      var password: String?
      if let at = authority.lastIndex(of: "@") {
        let userinfo = authority[..<at]
        authority = authority[authority.index(after: at)...]
        if let colon = userinfo.firstIndex(of: ":") {
          username = Self.percentDecoded(userinfo[..<colon])
          password = Self.percentDecoded(userinfo[userinfo.index(after: colon)...])
        } else {
          username = Self.percentDecoded(userinfo)
        }
      }
      var host = String(authority)
      var port: Int?
      if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
        host = String(authority[..<colon])
        guard let number = Int(authority[authority.index(after: colon)...]),
          (1...65535).contains(number)
        else {
          throw .invalidRemoteURL(
            Self.redact(text), reason: "the port is not a number from 1 to 65535")
        }
        port = number
      }
      guard !host.isEmpty else { throw .invalidRemoteURL(Self.redact(text), reason: "no host") }
      guard path.count > 1 else {
        throw .invalidRemoteURL(Self.redact(text), reason: "no repository path after the host")
      }
      let hostPort = port.map { "\(host):\($0)" } ?? host
      self.init(
        transport: transport, url: "\(scheme)://\(hostPort)\(path)", host: host, port: port,
        path: path, username: username, password: password)
      return
    }
    // scp-like syntax: [user@]host:path, where the host part holds no slash. A path that merely contains
    // a colon after a slash (./a:b, /x/y:z) is a local path, as it is for git.
    if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/"), colon != text.startIndex
    {
      var hostPart = text[..<colon]
      let path = String(text[text.index(after: colon)...])
      var username: String?
      if let at = hostPart.lastIndex(of: "@") {
        username = String(hostPart[..<at])
        hostPart = hostPart[hostPart.index(after: at)...]
      }
      guard !hostPart.isEmpty, !path.isEmpty else {
        throw .invalidRemoteURL(text, reason: "expected user@host:path")
      }
      self.init(
        transport: .ssh, url: "\(hostPart):\(path)", host: String(hostPart), port: nil, path: path,
        username: username, password: nil)
      return
    }
    guard !text.isEmpty else { throw .invalidRemoteURL(text, reason: "empty") }
    self.init(
      transport: .file, url: text, host: nil, port: nil, path: text, username: nil, password: nil)
  }

  private init(
    transport: Transport, url: String, host: String?, port: Int?, path: String, username: String?,
    password: String?
  ) {
    self.transport = transport
    self.url = url
    self.host = host
    self.port = port
    self.path = path
    self.username = username
    self.password = password
  }

  /// A directory name for this remote's mirror in a cache: readable (host and path) and unique (a short
  /// hash of the whole credential-free URL, so `a/b-c` and `a-b/c` do not collide).
  public var cacheName: String {
    var readable = (host.map { [$0] + (port.map { ["\($0)"] } ?? []) } ?? ["file"])
    readable += path.split(separator: "/").map(String.init)
    if var last = readable.popLast() {
      if last.hasSuffix(".git") { last.removeLast(4) }
      readable.append(last)
    }
    let sanitised = readable.joined(separator: "-").map { character -> Character in
      character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character))
        ? character : "-"
    }
    return String(String(sanitised).trimmingDashes().prefix(100)) + "-" + Self.shortHash(url)
  }

  /// `text` with any userinfo removed, for messages about URLs that could not be parsed.
  static func redact(_ text: String) -> String {
    guard let schemeEnd = text.firstRange(of: "://") else { return text }
    let rest = text[schemeEnd.upperBound...]
    let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
    guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
    return String(text[..<schemeEnd.upperBound]) + rest[rest.index(after: at)...]
  }

  private static func percentDecoded(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8).makeIterator()
    while let byte = iterator.next() {
      if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
        let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
      {
        bytes.append(value)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The first eight hex digits of the SHA-1 of `text`, computed by libgit2 (as a blob's id would be).
  private static func shortHash(_ text: String) -> String {
    LibGit2.ensureInitialised()
    var oid = git_oid()
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
    return String(ObjectID(oid).hex.prefix(8))
  }
}

extension String {
  fileprivate func trimmingDashes() -> Substring {
    let start = firstIndex { $0 != "-" } ?? endIndex
    let end = lastIndex { $0 != "-" }.map { index(after: $0) } ?? start
    return self[start..<max(start, end)]
  }
}
