import Crypto
import Foundation

/// GitHub's webhook signature: `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw
/// request body keyed with the webhook secret.
///
/// The check runs in constant time (swift-crypto's `isValidAuthenticationCode` compares every byte),
/// so a caller cannot learn a valid signature byte by byte from response timings.
public struct WebhookSignature: Sendable {
  private let key: SymmetricKey

  /// - Parameter secret: The shared secret, as configured on GitHub's webhook page.
  public init(secret: [UInt8]) {
    key = SymmetricKey(data: secret)
  }

  /// The header value GitHub would send for `body` (used by tests and the benchmark).
  public func header(for body: [UInt8]) -> String {
    let code = HMAC<SHA256>.authenticationCode(for: body, using: key)
    return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
  }

  /// Whether `header` (the `X-Hub-Signature-256` value, or nil when absent) signs `body`.
  public func isValid(header: String?, body: [UInt8]) -> Bool {
    guard let header, header.hasPrefix("sha256="),
      let signature = Self.bytes(hex: header.dropFirst("sha256=".count)),
      signature.count == SHA256.byteCount
    else { return false }
    return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: body, using: key)
  }

  private static func bytes(hex: Substring) -> [UInt8]? {
    guard hex.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(hex.count / 2)
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
      bytes.append(byte)
      index = next
    }
    return bytes
  }
}
