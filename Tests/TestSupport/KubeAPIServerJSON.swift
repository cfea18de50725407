import YAML

/// JSON text for the test API server's responses. Object keys keep their order, as the real
/// apiserver's encoder writes struct fields in declaration order.
enum KubeAPIServerJSON {
  static func encode(_ value: JSONValue) -> [UInt8] {
    JSONWriter().encode(value)
  }

  static func string(_ value: JSONValue) -> String {
    String(decoding: encode(value), as: UTF8.self)
  }

  /// JSON is YAML's flow style, so libyaml parses request bodies (and keeps key order).
  static func decode(_ bytes: [UInt8]) throws -> JSONValue {
    try YAML.loadOne(bytes)
  }
}
