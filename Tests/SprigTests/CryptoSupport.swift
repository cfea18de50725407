import Crypto
import _CryptoExtras

/// Reads generated keys back with swift-crypto, to show they are well-formed.
enum P256Check {
  /// Parses a SEC 1 "EC PRIVATE KEY" PEM as a P-256 signing key.
  static func read(_ pem: String) throws -> P256.Signing.PrivateKey {
    try P256.Signing.PrivateKey(pemRepresentation: pem)
  }

  /// The size of a PKCS #1 RSA private key in bits.
  static func rsaKeySize(_ pem: String) throws -> Int {
    try _RSA.Signing.PrivateKey(pemRepresentation: pem).keySizeInBits
  }
}
