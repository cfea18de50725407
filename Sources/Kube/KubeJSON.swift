import YAML

/// JSON text in and out of `JSONValue` for API bodies. Writing keeps object key order; reading
/// goes through libyaml (JSON is YAML's flow style), which keeps it too.
public enum KubeJSON {
  /// The compact JSON encoding of a value.
  public static func encode(_ value: JSONValue) -> [UInt8] {
    JSONWriter().encode(value)
  }

  /// The value a JSON text encodes.
  public static func decode(_ bytes: [UInt8]) throws(YAMLError) -> JSONValue {
    try YAML.loadOne(bytes)
  }
}
