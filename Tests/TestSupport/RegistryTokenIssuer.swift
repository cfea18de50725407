import Foundation

/// Signs registry Bearer tokens that a real `docker-registry` configured for token auth accepts:
/// JWTs signed RS256 by a throwaway key (made and used with the `openssl` command), whose
/// self-signed certificate travels in the `x5c` header and is the registry's `rootcertbundle`.
/// Test token services (an in-process `TestHTTPServer` playing ACR, for instance) hand them out.
public final class RegistryTokenIssuer: Sendable {
  /// The `iss` claim, which the registry's configuration trusts.
  public let issuer = "tripgen-test-issuer"
  private let directory: TemporaryDirectory
  private let certificateDER: String

  /// Makes the key and certificate.
  public init() throws {
    directory = try TemporaryDirectory(prefix: "registry-token-issuer")
    try Command.check([
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
      "-subj", "/CN=tripgen-test-token-issuer",
      "-keyout", directory.file("key.pem").path, "-out", directory.file("cert.pem").path,
    ])
    try Command.check([
      "openssl", "x509", "-in", directory.file("cert.pem").path, "-outform", "DER",
      "-out", directory.file("cert.der").path,
    ])
    certificateDER = try Data(contentsOf: directory.file("cert.der")).base64EncodedString()
  }

  /// The certificate bundle to name as `rootcertbundle`.
  public var certificatePath: String { directory.file("cert.pem").path }

  /// One access grant: `("repository", "team/app", ["pull", "push"])`.
  public struct Access: Sendable {
    public var type: String
    public var name: String
    public var actions: [String]

    public init(type: String = "repository", name: String, actions: [String]) {
      self.type = type
      self.name = name
      self.actions = actions
    }
  }

  /// A token for `service` granting `access`, valid for `lifetime` seconds.
  public func token(
    service: String, subject: String = "tripgen-test", access: [Access], lifetime: Int = 600
  )
    throws -> String
  {
    let now = Int(Date().timeIntervalSince1970)
    let header: [String: Any] = ["alg": "RS256", "typ": "JWT", "x5c": [certificateDER]]
    let claims: [String: Any] = [
      "iss": issuer, "sub": subject, "aud": service, "iat": now - 10, "nbf": now - 10,
      "exp": now + lifetime, "jti": UUID().uuidString,
      "access": access.map { ["type": $0.type, "name": $0.name, "actions": $0.actions] },
    ]
    let signingInput =
      Self.base64URL(try JSONSerialization.data(withJSONObject: header, options: .sortedKeys))
      + "."
      + Self.base64URL(try JSONSerialization.data(withJSONObject: claims, options: .sortedKeys))
    let scratch = try TemporaryDirectory(prefix: "token")
    try Data(signingInput.utf8).write(to: scratch.file("input"))
    try Command.check([
      "openssl", "dgst", "-sha256", "-sign", directory.file("key.pem").path,
      "-out", scratch.file("signature").path, scratch.file("input").path,
    ])
    return signingInput + "." + Self.base64URL(try Data(contentsOf: scratch.file("signature")))
  }

  static func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }
}
