#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// bcrypt through the system's `crypt` library (libxcrypt, `libcrypt.so.1`, always present on
/// Debian), which implements the same `$2a$` scheme as Go's `golang.org/x/crypto/bcrypt`.
/// The library is opened at run time so that building needs no extra headers.
enum Bcrypt {
  /// Go's `bcrypt.DefaultCost`.
  static let defaultCost = 10

  /// Why hashing failed.
  struct Failure: Error {
    let message: String
  }

  private typealias CryptRN =
    @convention(c) (
      UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer, Int32
    ) -> UnsafeMutablePointer<CChar>?

  private static let cryptRN: CryptRN? = {
    for name in ["libcrypt.so.1", "libcrypt.so.2", "libcrypt.so"] {
      if let handle = dlopen(name, RTLD_NOW), let symbol = dlsym(handle, "crypt_rn") {
        return unsafeBitCast(symbol, to: CryptRN.self)
      }
    }
    return nil
  }()

  /// `bcrypt.GenerateFromPassword(password, cost)`: a `$2a$` hash with a fresh random salt.
  static func hash(_ password: String, cost: Int = defaultCost) throws -> String {
    guard password.utf8.count <= 72 else {
      throw Failure(message: "bcrypt: password length exceeds 72 bytes")
    }
    var generator = SystemRandomNumberGenerator()
    let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    let setting = "$2a$" + (cost < 10 ? "0\(cost)" : String(cost)) + "$" + encode(salt)
    return try hash(password, setting: setting)
  }

  /// Hashes `password` with the cost and salt of `setting` (a `$2a$NN$` + 22-character salt,
  /// or a whole hash, which is how a hash is verified).
  static func hash(_ password: String, setting: String) throws -> String {
    guard let cryptRN else {
      throw Failure(message: "bcrypt: the system crypt library (libcrypt.so.1) is not available")
    }
    // libxcrypt's crypt_data is 32768 bytes; the buffer holds it and is zeroed as required.
    let size = 32768
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
    defer { buffer.deallocate() }
    buffer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
    guard let result = cryptRN(password, setting, buffer, Int32(size)) else {
      throw Failure(message: "bcrypt: crypt failed for setting \(setting.prefix(7))")
    }
    let text = String(cString: result)
    guard text.hasPrefix("$2") else {
      throw Failure(message: "bcrypt: crypt failed for setting \(setting.prefix(7))")
    }
    return text
  }

  /// bcrypt's base64 (alphabet `./A-Za-z0-9`, no padding): 16 salt bytes become 22 characters.
  private static func encode(_ bytes: [UInt8]) -> String {
    let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    var output = ""
    var index = 0
    while index < bytes.count {
      let first = bytes[index]
      output.append(alphabet[Int(first >> 2)])
      var value = (first & 0x03) << 4
      guard index + 1 < bytes.count else {
        output.append(alphabet[Int(value)])
        break
      }
      let second = bytes[index + 1]
      value |= second >> 4
      output.append(alphabet[Int(value)])
      value = (second & 0x0F) << 2
      guard index + 2 < bytes.count else {
        output.append(alphabet[Int(value)])
        break
      }
      let third = bytes[index + 2]
      value |= third >> 6
      output.append(alphabet[Int(value)])
      output.append(alphabet[Int(third & 0x3F)])
      index += 3
    }
    return output
  }
}
