import Foundation
import GoTemplate

/// Sprig's random values: `uuidv4`, `randAlphaNum`, `randAlpha`, `randNumeric`, `randAscii`,
/// `randBytes` (base64). Nondeterministic by design; they draw from the system's secure
/// generator.
enum RandomFunctions {
  static let functions: [String: TemplateFunction] = [
    "uuidv4": function(0) { _ in .string(UUID().uuidString.lowercased()) },
    "randAlphaNum": randomString(
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
    "randAlpha": randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    "randNumeric": randomString("0123456789"),
    "randAscii": randomString(
      String(String.UnicodeScalarView((32...126).map { Unicode.Scalar($0)! }))),
    "randBytes": function(1) { arguments in
      let count = try arguments.int(0)
      guard count >= 0 else {
        throw TemplateFunctionError("runtime error: makeslice: len out of range")
      }
      var generator = SystemRandomNumberGenerator()
      let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
      return .string(Data(bytes).base64EncodedString())
    },
  ]

  /// goutils' `CryptoRandom*`: `count` characters drawn uniformly from `characters`; a negative
  /// count is an error in Go, which Sprig swallows into an empty string.
  private static func randomString(_ characters: String) -> TemplateFunction {
    let pool = Array(characters)
    return function(1) { arguments in
      let count = try arguments.int(0)
      guard count > 0 else { return "" }
      var generator = SystemRandomNumberGenerator()
      return .string(String((0..<count).map { _ in pool.randomElement(using: &generator)! }))
    }
  }
}
