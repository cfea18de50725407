import GoTemplate

/// Sprig's `urlParse` and `urlJoin`, on Go's `net/url` rules.
enum URLFunctions {
  static let functions: [String: TemplateFunction] = [
    "urlParse": function(1) { arguments in
      let url: GoURL
      do {
        url = try GoURL(parsing: try arguments.string(0))
      } catch let error as GoURL.ParseError {
        throw TemplateFunctionError("unable to parse url: \(error.message)")
      }
      return .map([
        "scheme": .string(url.scheme), "host": .string(url.host),
        "hostname": .string(url.hostname), "path": .string(url.path),
        "query": .string(url.rawQuery), "opaque": .string(url.opaque),
        "fragment": .string(url.fragment), "userinfo": .string(url.escapedUserinfo ?? ""),
      ])
    },
    "urlJoin": function(1) { arguments in
      let map = try arguments.map(0)
      func field(_ key: String) throws -> String {
        switch map[key] {
        case nil, .null?: return ""
        case .string(let string)?: return string
        case let other?:
          throw TemplateFunctionError(
            "unable to parse \(key) key, must be of type string, but \(other.goTypeName) found")
        }
      }
      var url = GoURL()
      url.scheme = try field("scheme")
      url.host = try field("host")
      url.path = try field("path")
      url.rawQuery = try field("query")
      url.opaque = try field("opaque")
      url.fragment = try field("fragment")
      let userinfo = try field("userinfo")
      if !userinfo.isEmpty {
        // Sprig parses "proto://USERINFO@host" to read the user and password.
        let probe = "proto://\(userinfo)@host"
        guard userinfo.unicodeScalars.allSatisfy(GoURL.isValidUserinfo) else {
          throw TemplateFunctionError(
            "unable to parse userinfo in dict: parse \(GoPrinting.quote(probe)): net/url: invalid userinfo"
          )
        }
        do {
          url.userinfo = try GoURL(parsing: probe).userinfo
        } catch let error as GoURL.ParseError {
          throw TemplateFunctionError("unable to parse userinfo in dict: \(error.message)")
        }
      }
      return .string(url.string)
    },
  ]
}

/// The parts of a URL as Go's `url.Parse` splits them, and `URL.String()` to join them.
struct GoURL {
  /// Why `url.Parse` rejected the text.
  struct ParseError: Error {
    let message: String
  }

  var scheme = ""
  var opaque = ""
  /// `user` or `user:password`, unescaped, as Go's `Userinfo.String()` re-escapes it.
  var userinfo: String?
  var host = ""
  var path = ""
  var rawQuery = ""
  var fragment = ""

  init() {}

  /// `url.Parse`.
  init(parsing text: String) throws {
    var rest = Substring(text)
    if let hash = rest.firstIndex(of: "#") {
      fragment = try GoURL.unescape(String(rest[rest.index(after: hash)...]), text: text)
      rest = rest[..<hash]
    }
    if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
      throw ParseError(
        message: "parse \(GoPrinting.quote(text)): net/url: invalid control character in URL")
    }
    if let colon = rest.firstIndex(of: ":") {
      let candidate = rest[..<colon]
      if let first = candidate.first, first.isLetter, first.isASCII,
        candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
      {
        scheme = candidate.lowercased()
        rest = rest[rest.index(after: colon)...]
      } else if candidate.isEmpty {
        throw ParseError(message: "parse \(GoPrinting.quote(text)): missing protocol scheme")
      }
    }
    if let question = rest.firstIndex(of: "?") {
      rawQuery = String(rest[rest.index(after: question)...])
      rest = rest[..<question]
    }
    if !rest.hasPrefix("/") && !scheme.isEmpty {
      opaque = String(rest)
      return
    }
    if rest.hasPrefix("//") {
      rest = rest.dropFirst(2)
      let end = rest.firstIndex(of: "/") ?? rest.endIndex
      var authority = rest[..<end]
      rest = rest[end...]
      if let at = authority.lastIndex(of: "@") {
        userinfo = try GoURL.unescape(String(authority[..<at]), text: text)
        authority = authority[authority.index(after: at)...]
      }
      if let bad = authority.utf8.first(where: {
        $0 < 0x80 && $0 != UInt8(ascii: "%") && !GoURL.hostAllowed.contains($0)
      }) {
        throw ParseError(
          message: "parse \(GoPrinting.quote(text)): invalid character "
            + "\(GoPrinting.quote(String(UnicodeScalar(bad)))) in host name")
      }
      host = try GoURL.unescape(String(authority), text: text)
    }
    path = try GoURL.unescape(String(rest), text: text)
  }

  /// `Userinfo.String()`: user and password escaped, joined by `:`.
  var escapedUserinfo: String? {
    guard let userinfo else { return nil }
    let parts = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    var text = GoURL.escape(String(parts[0]), allowed: GoURL.userAllowed)
    if parts.count > 1 { text += ":" + GoURL.escape(String(parts[1]), allowed: GoURL.userAllowed) }
    return text
  }

  /// Go's `validUserinfo`: the characters RFC 3986 allows in userinfo, plus `%` escapes.
  static func isValidUserinfo(_ scalar: Unicode.Scalar) -> Bool {
    guard scalar.isASCII else { return true }
    let character = Character(scalar)
    return character.isLetter || character.isNumber || "-._:~!$&'()*+,;=%@".contains(character)
  }

  /// `URL.Hostname()`: the host without port or IPv6 brackets.
  var hostname: String {
    var host = Substring(self.host)
    if host.hasPrefix("[") {
      if let close = host.firstIndex(of: "]") {
        return String(host[host.index(after: host.startIndex)..<close])
      }
      return String(host.dropFirst())
    }
    if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
    return String(host)
  }

  /// `URL.String()`.
  var string: String {
    var output = ""
    if !scheme.isEmpty { output += scheme + ":" }
    if !opaque.isEmpty {
      output += opaque
    } else {
      if !scheme.isEmpty || !host.isEmpty || userinfo != nil {
        if !host.isEmpty || !path.isEmpty || userinfo != nil { output += "//" }
        if let escapedUserinfo { output += escapedUserinfo + "@" }
        output += GoURL.escape(host, allowed: GoURL.hostAllowed)
      }
      let escapedPath = GoURL.escape(path, allowed: GoURL.pathAllowed)
      if !escapedPath.isEmpty && !escapedPath.hasPrefix("/") && !host.isEmpty { output += "/" }
      if output.isEmpty, let colon = escapedPath.firstIndex(of: ":"),
        !escapedPath[..<colon].contains("/")
      {
        output += "./"
      }
      output += escapedPath
    }
    if !rawQuery.isEmpty { output += "?" + rawQuery }
    if !fragment.isEmpty { output += "#" + GoURL.escape(fragment, allowed: GoURL.fragmentAllowed) }
    return output
  }

  private static let unreserved = Set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
  private static let pathAllowed = unreserved.union("$&+,/:;=@".utf8)
  private static let userAllowed = unreserved.union("$&+,;=".utf8)
  private static let hostAllowed = unreserved.union("!$&'()*+,;=:[]<>\"".utf8)
  private static let fragmentAllowed = unreserved.union("$&+,/:;=?@!()*".utf8)

  private static func escape(_ text: String, allowed: Set<UInt8>) -> String {
    var output = ""
    for byte in text.utf8 {
      if allowed.contains(byte) {
        output.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        output += "%" + String(byte, radix: 16, uppercase: true).leftPadded
      }
    }
    return output
  }

  private static func unescape(_ text: String, text original: String) throws -> String {
    var bytes: [UInt8] = []
    let input = Array(text.utf8)
    var index = 0
    while index < input.count {
      if input[index] == UInt8(ascii: "%") {
        let isHex = { (byte: UInt8) in
          (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
        }
        guard index + 2 < input.count, isHex(input[index + 1]), isHex(input[index + 2]),
          let value = UInt8(
            String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
        else {
          let end = min(index + 3, input.count)
          let escape = String(decoding: input[index..<end], as: UTF8.self)
          throw ParseError(
            message:
              "parse \(GoPrinting.quote(original)): invalid URL escape \(GoPrinting.quote(escape))")
        }
        bytes.append(value)
        index += 3
      } else {
        bytes.append(input[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

extension String {
  fileprivate var leftPadded: String { count == 1 ? "0" + self : self }
}
