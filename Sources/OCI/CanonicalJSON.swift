import Foundation
import YAML

/// Canonical JSON for manifests, configs and indexes: object keys sorted by their UTF-8 bytes, no
/// insignificant whitespace, only the escapes JSON requires. The bytes (and so the digests) depend only
/// on the values, never on the encoder's version or the order fields were declared in.
///
/// Foundation's `.sortedKeys` is not used alone because its order is not bytewise (it compares
/// numerically: `9090/tcp` before `10000/tcp`), and canonical means one order any tool can reproduce.
public enum CanonicalJSON {
  /// The canonical bytes of `value`.
  public static func encode(_ value: some Encodable) throws(OCIError) -> [UInt8] {
    let tree: JSONValue
    do {
      let data = try JSONEncoder().encode(value)
      tree = try JSONDecoder().decode(JSONValue.self, from: data)
    } catch {
      throw .encodingFailed(type: "\(type(of: value))", reason: "\(error)")
    }
    var output: [UInt8] = []
    write(tree, to: &output)
    return output
  }

  /// Decodes a manifest, config or index read from `path` (named in the error when it is malformed).
  public static func decode<T: Decodable>(
    _ type: T.Type, from bytes: [UInt8], path: String
  ) throws(OCIError) -> T {
    do {
      return try JSONDecoder().decode(type, from: Data(bytes))
    } catch {
      throw .malformedJSON(path: path, expected: "\(type)", reason: "\(error)")
    }
  }

  static func write(_ value: JSONValue, to output: inout [UInt8]) {
    switch value {
    case .null: output += Array("null".utf8)
    case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
    case .int(let number): output += Array(String(number).utf8)
    case .double(let number):
      // Integral doubles print without a fraction, as Go does; the rest in Swift's shortest form.
      if number.rounded() == number, abs(number) < 1e15 {
        output += Array(String(Int(number)).utf8)
      } else {
        output += Array("\(number)".utf8)
      }
    case .string(let text): writeString(text, to: &output)
    case .array(let items):
      output.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        write(item, to: &output)
      }
      output.append(UInt8(ascii: "]"))
    case .object(let members):
      output.append(UInt8(ascii: "{"))
      let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
      for (index, key) in keys.enumerated() {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        writeString(key, to: &output)
        output.append(UInt8(ascii: ":"))
        write(members[key]!, to: &output)
      }
      output.append(UInt8(ascii: "}"))
    }
  }

  static func writeString(_ text: String, to output: inout [UInt8]) {
    let hexDigits = Array("0123456789abcdef".utf8)
    output.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
      case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
      case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0..<0x20:
        output += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xf)]]
      default: output.append(byte)
      }
    }
    output.append(UInt8(ascii: "\""))
  }
}
