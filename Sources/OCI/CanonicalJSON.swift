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
    return JSONWriter(sortsKeys: true).encode(tree)
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
}
