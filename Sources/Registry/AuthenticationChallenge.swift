/// A `WWW-Authenticate` challenge: its scheme (`Basic`, `Bearer`) and parameters (`realm`,
/// `service`, `scope`, `error`), as RFC 9110 section 11.6.1 writes them.
public struct AuthenticationChallenge: Sendable, Equatable {
  /// The scheme, lowercased.
  public var scheme: String
  /// Parameter names lowercased; values unquoted.
  public var parameters: [String: String]

  public init(scheme: String, parameters: [String: String]) {
    self.scheme = scheme.lowercased()
    self.parameters = parameters
  }

  /// Parses the first challenge of a header value such as
  /// `Bearer realm="https://auth/token",service="registry",scope="repository:a:pull,push"`.
  /// Nil when the value has no scheme.
  public init?(parsing header: String) {
    var rest = Substring(header).drop { $0 == " " }
    let scheme = rest.prefix { $0 != " " && $0 != "," }
    guard !scheme.isEmpty else { return nil }
    rest = rest.dropFirst(scheme.count)
    var parameters: [String: String] = [:]
    while true {
      rest = rest.drop { $0 == " " || $0 == "," }
      guard let equals = rest.firstIndex(of: "=") else { break }
      let name = rest[..<equals].trimmingSpaces().lowercased()
      // A name with a space in it starts the next challenge (`..., Basic realm=x`).
      if name.contains(" ") { break }
      rest = rest[rest.index(after: equals)...]
      var value = ""
      if rest.first == "\"" {
        rest = rest.dropFirst()
        var escaped = false
        var end = rest.endIndex
        for index in rest.indices {
          let character = rest[index]
          if escaped {
            value.append(character)
            escaped = false
          } else if character == "\\" {
            escaped = true
          } else if character == "\"" {
            end = index
            break
          } else {
            value.append(character)
          }
        }
        rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[rest.endIndex...]
      } else {
        let token = rest.prefix { $0 != "," }
        value = token.trimmingSpaces()
        rest = rest.dropFirst(token.count)
      }
      parameters[name] = value
    }
    self.init(scheme: String(scheme), parameters: parameters)
  }

  /// The `realm` parameter.
  public var realm: String? { parameters["realm"] }
  /// The `service` parameter (a Bearer challenge's token audience).
  public var service: String? { parameters["service"] }
  /// The scopes a Bearer challenge asks for, split on spaces.
  public var scopes: [String] {
    (parameters["scope"] ?? "").split(separator: " ").map(String.init)
  }
}

extension Substring {
  fileprivate func trimmingSpaces() -> String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
