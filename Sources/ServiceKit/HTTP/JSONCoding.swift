import Foundation

/// JSON text for JSONB columns: values go to PostgreSQL as text cast to jsonb, and come back as text, so
/// they round-trip without depending on a driver's JSONB mapping.
public enum JSONCoding {
  public static func text(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  public static func value<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
    try JSONDecoder().decode(type, from: Data(text.utf8))
  }
}
