import Foundation

/// Removes credentials from text that may reach an error message or a log: the userinfo part of
/// URLs and the values of headers that carry credentials.
enum Redaction {
  static let placeholder = "<redacted>"

  /// Header fields whose values are credentials (compared lowercased).
  private static let sensitiveHeaders: Set<String> = [
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token",
    "private-token", "x-registry-auth",
  ]

  static func isSensitiveHeader(_ name: String) -> Bool {
    sensitiveHeaders.contains(name.lowercased())
  }

  /// `url` with any `user:password@` replaced by `<redacted>@`.
  static func url(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://") else { return url }
    let authorityStart = schemeEnd.upperBound
    let rest = url[authorityStart...]
    let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
    let authority = url[authorityStart..<authorityEnd]
    guard let at = authority.lastIndex(of: "@") else { return url }
    return String(url[..<authorityStart]) + placeholder + String(url[at..<url.endIndex])
  }

  /// `text` with every occurrence of each secret replaced. Used on messages that come from libcurl,
  /// which may quote what it was given.
  static func text(_ text: String, removing secrets: [String]) -> String {
    var result = text
    for secret in secrets where secret.count >= 3 {
      result = result.replacingAll(secret, with: placeholder)
    }
    return result
  }
}

extension String {
  fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
    var result = ""
    var remainder = self[...]
    while let range = remainder.range(of: target) {
      result += remainder[..<range.lowerBound]
      result += replacement
      remainder = remainder[range.upperBound...]
    }
    result += remainder
    return result
  }
}
