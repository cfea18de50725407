import Crypto
import Foundation

/// Makes Service Bus SAS tokens: `SharedAccessSignature sr=RESOURCE&sig=SIGNATURE&se=EXPIRY&skn=NAME`,
/// where SIGNATURE is the base64 HMAC-SHA256, keyed with the policy key's UTF-8 bytes, of the
/// URL-encoded resource URI, a newline, and the expiry in seconds since 1970. The service checks the
/// signature against the `sr` it receives, so the same encoded text is signed and sent.
public struct SharedAccessSignature: Sendable {
  /// The shared access policy's name.
  public let keyName: String
  private let key: SymmetricKey

  /// - Parameter key: the policy's key as the portal shows it (its UTF-8 bytes are the HMAC key).
  public init(keyName: String, key: String) {
    self.keyName = keyName
    self.key = SymmetricKey(data: Array(key.utf8))
  }

  /// The Authorization header value for `resource` (a URI the request's URL starts with), valid
  /// until `expiry` (seconds since 1970).
  public func token(resource: String, expiry: Int) -> String {
    let encodedResource = Self.percentEncode(resource.lowercased())
    let signature = HMAC<SHA256>.authenticationCode(
      for: Array("\(encodedResource)\n\(expiry)".utf8), using: key)
    let base64 = Data(signature).base64EncodedString()
    return "SharedAccessSignature sr=\(encodedResource)&sig=\(Self.percentEncode(base64))"
      + "&se=\(expiry)&skn=\(Self.percentEncode(keyName))"
  }

  /// Percent-encodes everything but RFC 3986's unreserved characters (uppercase hex).
  static func percentEncode(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
        UInt8(ascii: "."), UInt8(ascii: "~"):
        result.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let hex = Array("0123456789ABCDEF".utf8)
        result += "%"
        result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
        result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
      }
    }
    return result
  }
}
