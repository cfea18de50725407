import Foundation
import HTTP

/// The pieces of OAuth 2.0 the registry token flows share: form bodies, reading a token's
/// expiry, and keeping secrets out of messages.
enum OAuthForm {
  /// An `application/x-www-form-urlencoded` body (RFC 6749 appendix B: only unreserved
  /// characters stay as they are; everything else, `+`, `/` and `=` included, is escaped).
  static func encode(_ fields: [(String, String)]) -> Data {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    func escape(_ text: String) -> String {
      text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
    return Data(fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&").utf8)
  }

  /// A POST of `fields` as a form.
  static func post(_ url: URL, _ fields: [(String, String)]) -> HTTPRequest {
    var request = HTTPRequest(method: .post, url: url, body: .bytes(encode(fields)))
    request.headers.set("Content-Type", "application/x-www-form-urlencoded")
    request.headers.set("Accept", "application/json")
    return request
  }

  /// The `exp` claim of a JWT, read without checking its signature (only to know when to renew
  /// it; the server checks it). Nil when the token is not a JWT or has no `exp`.
  static func expiry(ofJWT token: String) -> Date? {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3 else { return nil }
    var base64 = parts[1].replacingOccurrences(of: "-", with: "+")
      .replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    guard let payload = Data(base64Encoded: base64),
      let claims = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
      let exp = claims["exp"] as? NSNumber
    else { return nil }
    return Date(timeIntervalSince1970: exp.doubleValue)
  }

  /// `text` with every occurrence of each secret (of 4 characters or more) replaced.
  static func redact(_ text: String, secrets: [String]) -> String {
    var result = text
    for secret in secrets where secret.count >= 4 {
      result = result.replacingOccurrences(of: secret, with: "<redacted>")
    }
    return result
  }

  /// A short account of a failed token response: the OAuth `error` and `error_description`, or
  /// the registry's error list, or the start of the body; with `secrets` removed.
  static func failureDetail(_ body: Data, secrets: [String]) -> String {
    var detail: String
    if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
      let error = object["error"] as? String
    {
      detail = error
      if let description = object["error_description"] as? String {
        // Entra's descriptions run on with trace ids and timestamps after the first line.
        detail +=
          ": " + (description.split(whereSeparator: \.isNewline).first.map(String.init) ?? "")
      }
    } else {
      let errors = RegistryErrorDetail.decode(body)
      detail =
        errors.isEmpty
        ? String(decoding: body.prefix(200), as: UTF8.self).split(whereSeparator: \.isNewline)
          .joined(separator: " ")
        : errors.map(\.description).joined(separator: "; ")
    }
    return redact(detail, secrets: secrets)
  }
}
