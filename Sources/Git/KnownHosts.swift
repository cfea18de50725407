import Foundation

/// An OpenSSH known_hosts file: which host keys are trusted for which hosts.
///
/// Supports plain and hashed (`|1|salt|hash`) host names, `[host]:port` entries, `*` and `?` wildcards,
/// `!` negation and `@revoked` markers. `@cert-authority` lines are ignored (host certificates are not
/// supported), so a host known only through a CA is reported as unknown.
struct KnownHosts {
  struct Entry {
    var patterns: [String]
    var keyType: String
    var key: [UInt8]
    var revoked: Bool
  }

  /// The outcome of checking a presented host key.
  enum Verdict: Equatable {
    case trusted
    case unknown
    case mismatch
    case revoked
  }

  let path: String
  private(set) var entries: [Entry] = []

  init(path: String) throws(GitError) {
    self.path = path
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw .knownHostsUnreadable(path: path, reason: "\(error.localizedDescription)")
    }
    for line in text.split(whereSeparator: \.isNewline) {
      var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      guard let first = fields.first, !first.hasPrefix("#") else { continue }
      var revoked = false
      if first.hasPrefix("@") {
        guard first == "@revoked" else { continue }
        revoked = true
        fields.removeFirst()
      }
      guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { continue }
      entries.append(
        Entry(
          patterns: fields[0].split(separator: ",").map(String.init), keyType: fields[1],
          key: Array(key), revoked: revoked))
    }
  }

  /// The name OpenSSH looks up for a host: `host` on port 22, `[host]:port` otherwise.
  static func lookupName(host: String, port: Int?) -> String {
    guard let port, port != 22 else { return host }
    return "[\(host)]:\(port)"
  }

  /// Checks the key blob a server presented (SSH wire format, starting with its type) for `name`.
  func verdict(name: String, key: [UInt8]) -> Verdict {
    let presentedType = Self.keyType(ofBlob: key)
    var sameTypeListed = false
    var trusted = false
    for entry in entries where Self.matches(name: name, patterns: entry.patterns) || entry.revoked {
      if entry.revoked {
        if entry.key == key { return .revoked }
        continue
      }
      if entry.key == key {
        trusted = true
      } else if entry.keyType == presentedType {
        sameTypeListed = true
      }
    }
    if trusted { return .trusted }
    return sameTypeListed ? .mismatch : .unknown
  }

  /// The key type at the start of an SSH public key blob ("ssh-ed25519", "ecdsa-sha2-nistp256", ...).
  static func keyType(ofBlob blob: [UInt8]) -> String {
    guard blob.count >= 4 else { return "unknown" }
    let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
    guard length > 0, blob.count >= 4 + length else { return "unknown" }
    return String(decoding: blob[4..<(4 + length)], as: UTF8.self)
  }

  /// OpenSSH's fingerprint of a key: `SHA256:` and the unpadded base64 of its SHA-256.
  static func fingerprint(sha256: [UInt8]) -> String {
    var encoded = Data(sha256).base64EncodedString()
    while encoded.hasSuffix("=") { encoded.removeLast() }
    return "SHA256:" + encoded
  }

  /// Whether a comma-separated pattern list matches: any positive match and no negated one.
  static func matches(name: String, patterns: [String]) -> Bool {
    var matched = false
    for pattern in patterns {
      if pattern.hasPrefix("|1|") {
        if hashedMatches(name: name, entry: pattern) { matched = true }
      } else if pattern.hasPrefix("!") {
        if wildcardMatches(
          Array(name.lowercased().utf8), Array(pattern.dropFirst().lowercased().utf8))
        {
          return false
        }
      } else if wildcardMatches(Array(name.lowercased().utf8), Array(pattern.lowercased().utf8)) {
        matched = true
      }
    }
    return matched
  }

  private static func hashedMatches(name: String, entry: String) -> Bool {
    let parts = entry.split(separator: "|", omittingEmptySubsequences: true)
    guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
      let hash = Data(base64Encoded: String(parts[2]))
    else { return false }
    return SHA1.hmac(key: Array(salt), message: Array(name.utf8)) == Array(hash)
  }

  private static func wildcardMatches(_ name: [UInt8], _ pattern: [UInt8]) -> Bool {
    var nameIndex = 0
    var patternIndex = 0
    var starPattern = -1
    var starName = 0
    while nameIndex < name.count {
      if patternIndex < pattern.count
        && (pattern[patternIndex] == UInt8(ascii: "?") || pattern[patternIndex] == name[nameIndex])
      {
        nameIndex += 1
        patternIndex += 1
      } else if patternIndex < pattern.count && pattern[patternIndex] == UInt8(ascii: "*") {
        starPattern = patternIndex
        starName = nameIndex
        patternIndex += 1
      } else if starPattern >= 0 {
        patternIndex = starPattern + 1
        starName += 1
        nameIndex = starName
      } else {
        return false
      }
    }
    while patternIndex < pattern.count && pattern[patternIndex] == UInt8(ascii: "*") {
      patternIndex += 1
    }
    return patternIndex == pattern.count
  }
}
