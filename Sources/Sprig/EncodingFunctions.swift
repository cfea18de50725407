import Foundation
import GoTemplate

/// Sprig's encodings: `b64enc`, `b64dec`, `b32enc`, `b32dec`. A decoding error becomes the
/// returned text, as in Sprig (`illegal base64 data at input byte N`).
enum EncodingFunctions {
  static let functions: [String: TemplateFunction] = [
    "b64enc": stringFunction { Data($0.utf8).base64EncodedString() },
    "b64dec": stringFunction { text in
      switch Base64.decode(text) {
      case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
      case .failure(let offset): return "illegal base64 data at input byte \(offset)"
      }
    },
    "b32enc": stringFunction { Base32.encode(Array($0.utf8)) },
    "b32dec": stringFunction { text in
      switch Base32.decode(text) {
      case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
      case .failure(let offset): return "illegal base32 data at input byte \(offset)"
      }
    },
  ]
}
