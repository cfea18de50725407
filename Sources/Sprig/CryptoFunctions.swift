import Crypto
import Foundation
import GoTemplate
import _CryptoExtras

/// Sprig's cryptographic helpers that swift-crypto can provide: `genPrivateKey` (rsa, ecdsa,
/// ed25519), `derivePassword` (Master Password, scrypt), `encryptAES`/`decryptAES` (AES-256-CBC
/// with a zero-padded password as key, as Sprig does), and `getHostByName`.
///
/// `bcrypt` and `htpasswd` hash with bcrypt (cost 10, `$2a$`) through the system crypt library.
/// `genPrivateKey`, `encryptAES`, `bcrypt` and `htpasswd` are nondeterministic by design (random
/// keys, IVs and salts). `genPrivateKey "dsa"` is not provided (see `Sprig`).
enum CryptoFunctions {
  static let functions: [String: TemplateFunction] = [
    "genPrivateKey": function(1) { arguments in
      let type = try arguments.string(0)
      do {
        switch type {
        case "rsa":
          return .string(
            endingInNewline(try _RSA.Signing.PrivateKey(keySize: .bits4096).pemRepresentation))
        case "ecdsa":
          return .string(pem("EC PRIVATE KEY", ellipticCurveKey(P256.Signing.PrivateKey())))
        case "ed25519":
          return .string(endingInNewline(Curve25519.Signing.PrivateKey().pemRepresentation))
        case "dsa":
          throw TemplateFunctionError(
            "genPrivateKey: dsa keys are not supported here (swift-crypto has no DSA)")
        default:
          return .string("Unknown type \(type)")
        }
      } catch let error as TemplateFunctionError {
        throw error
      } catch {
        return .string("failed to generate private key: \(error)")
      }
    },
    "derivePassword": function(5) { arguments in
      guard case .int(let counter) = arguments[0], counter >= 0, counter <= Int(UInt32.max) else {
        throw wrongType(arguments[0], expected: "uint32")
      }
      return .string(
        try derivePassword(
          counter: UInt32(counter), type: try arguments.string(1),
          password: try arguments.string(2),
          user: try arguments.string(3), site: try arguments.string(4)))
    },
    "encryptAES": function(2) { arguments in
      let password = try arguments.string(0)
      let plaintext = try arguments.string(1)
      if plaintext.isEmpty { return "" }
      let iv = AES._CBC.IV()
      var padded = Array(plaintext.utf8)
      let padding = 16 - padded.count % 16
      padded += [UInt8](repeating: UInt8(padding), count: padding)
      let ciphertext = try AES._CBC.encrypt(padded, using: key(password), iv: iv, noPadding: true)
      return .string(Data(Array(iv) + Array(ciphertext)).base64EncodedString())
    },
    "decryptAES": function(2) { arguments in
      let password = try arguments.string(0)
      let encoded = try arguments.string(1)
      if encoded.isEmpty { return "" }
      let bytes: [UInt8]
      switch Base64.decode(encoded) {
      case .success(let decoded): bytes = decoded
      case .failure(let offset):
        throw TemplateFunctionError("illegal base64 data at input byte \(offset)")
      }
      guard bytes.count >= 16 else {
        throw TemplateFunctionError(
          "runtime error: slice bounds out of range [:16] with capacity \(bytes.count)")
      }
      let body = bytes[16...]
      guard body.count % 16 == 0 else {
        throw TemplateFunctionError("crypto/cipher: input not full blocks")
      }
      guard !body.isEmpty else {
        throw TemplateFunctionError("runtime error: index out of range [-1]")
      }
      let decrypted = try AES._CBC.decrypt(
        Array(body), using: key(password), iv: try AES._CBC.IV(ivBytes: bytes[..<16]),
        noPadding: true)
      // Sprig strips as many bytes as the last byte says, without checking the padding.
      let strip = Int(decrypted.last!)
      guard strip <= decrypted.count else {
        throw TemplateFunctionError(
          "runtime error: slice bounds out of range [:\(decrypted.count - strip)]")
      }
      return .string(String(decoding: decrypted.prefix(decrypted.count - strip), as: UTF8.self))
    },
    "bcrypt": function(1) { arguments in
      .string(bcrypt(try arguments.string(0)))
    },
    "htpasswd": function(2) { arguments in
      let user = try arguments.string(0)
      let password = try arguments.string(1)
      if user.contains(":") { return .string("invalid username: \(user)") }
      return .string(user + ":" + bcrypt(password))
    },
    "getHostByName": function(1) { arguments in
      let name = try arguments.string(0)
      // getaddrinfo blocks; template execution is synchronous, so callers that render on the
      // cooperative pool should do so off it.
      let addresses = HostLookup.addresses(of: name)
      guard let address = addresses.randomElement() else {
        throw TemplateFunctionError("invalid argument to Intn")
      }
      return .string(address)
    },
  ]

  /// Go's `pem.Encode` ends the block with a newline; swift-crypto's PEM may not.
  private static func endingInNewline(_ pem: String) -> String {
    pem.hasSuffix("\n") ? pem : pem + "\n"
  }

  /// Sprig's `bcrypt`: a failure becomes the returned text.
  private static func bcrypt(_ password: String) -> String {
    do {
      return try Bcrypt.hash(password)
    } catch let failure as Bcrypt.Failure {
      return "failed to encrypt string with bcrypt: \(failure.message)"
    } catch {
      return "failed to encrypt string with bcrypt: \(error)"
    }
  }

  /// Sprig's AES key: the password's bytes in a 32-byte zero-filled buffer (truncated beyond).
  private static func key(_ password: String) -> SymmetricKey {
    var bytes = [UInt8](repeating: 0, count: 32)
    for (index, byte) in password.utf8.prefix(32).enumerated() { bytes[index] = byte }
    return SymmetricKey(data: bytes)
  }

  /// A PEM block with Go's `pem.Encode` layout: 64-column base64 and a trailing newline.
  static func pem(_ type: String, _ der: [UInt8]) -> String {
    let encoded = Data(der).base64EncodedString()
    var lines: [Substring] = []
    var rest = Substring(encoded)
    while !rest.isEmpty {
      lines.append(rest.prefix(64))
      rest = rest.dropFirst(64)
    }
    return "-----BEGIN \(type)-----\n" + lines.joined(separator: "\n") + "\n-----END \(type)-----\n"
  }

  /// `x509.MarshalECPrivateKey` for a P-256 key: SEC 1 `ECPrivateKey` with the curve and public
  /// key.
  static func ellipticCurveKey(_ key: P256.Signing.PrivateKey) -> [UInt8] {
    let privateBytes = Array(key.rawRepresentation)
    let publicBytes = Array(key.publicKey.x963Representation)
    let curve: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
    var body: [UInt8] = [0x02, 0x01, 0x01, 0x04, UInt8(privateBytes.count)] + privateBytes
    body += [0xA0, UInt8(curve.count)] + curve
    body +=
      [0xA1, UInt8(publicBytes.count + 3), 0x03, UInt8(publicBytes.count + 1), 0x00] + publicBytes
    return [0x30, UInt8(body.count)] + body
  }

  private static let passwordTemplates: [String: [String]] = [
    "maximum": ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
    "long": [
      "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
      "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
      "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
      "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
      "CvccCvcvCvccno",
    ],
    "medium": ["CvcnoCvc", "CvcCvcno"],
    "short": ["Cvcn"],
    "basic": ["aaanaaan", "aannaaan", "aaannaaa"],
    "pin": ["nnnn"],
  ]

  private static let templateCharacters: [Character: [UInt8]] = [
    "V": Array("AEIOU".utf8),
    "C": Array("BCDFGHJKLMNPQRSTVWXYZ".utf8),
    "v": Array("aeiou".utf8),
    "c": Array("bcdfghjklmnpqrstvwxyz".utf8),
    "A": Array("AEIOUBCDFGHJKLMNPQRSTVWXYZ".utf8),
    "a": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz".utf8),
    "n": Array("0123456789".utf8),
    "o": Array("@&%?,=[]_:-+*$#!'^~;()/.".utf8),
    "x": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()".utf8),
  ]

  /// The Master Password algorithm (v3) as Sprig implements it: scrypt(N=32768, r=8, p=2) over
  /// the user name, HMAC-SHA256 over the site and counter, and a template of character classes.
  static func derivePassword(
    counter: UInt32, type: String, password: String, user: String, site: String
  ) throws -> String {
    guard let templates = passwordTemplates[type] else {
      return "cannot find password template \(type)"
    }
    let seed = Array("com.lyndir.masterpassword".utf8)
    func bigEndian(_ value: UInt32) -> [UInt8] {
      [
        UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF),
        UInt8(value & 0xFF),
      ]
    }
    let salt = seed + bigEndian(UInt32(user.utf8.count)) + Array(user.utf8)
    let key: SymmetricKey
    do {
      key = try KDF.Scrypt.deriveKey(
        from: Array(password.utf8), salt: salt, outputByteCount: 64, rounds: 32768, blockSize: 8,
        parallelism: 2, maxMemory: 64 * 1024 * 1024)
    } catch {
      return "failed to create password: \(error)"
    }
    let message = seed + bigEndian(UInt32(site.utf8.count)) + Array(site.utf8) + bigEndian(counter)
    let digest = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
    let template = templates[Int(digest[0]) % templates.count]
    var output: [UInt8] = []
    for (index, character) in template.enumerated() {
      let pool = templateCharacters[character]!
      output.append(pool[Int(digest[index + 1]) % pool.count])
    }
    return String(decoding: output, as: UTF8.self)
  }
}
