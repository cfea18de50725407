/// The short way in and out of YAML for code that wants values, not node trees.
public enum YAML {
  /// Every document of a YAML stream as a JSON value (an empty document is `null`; a stream with no
  /// documents gives an empty array). `file` names the input in errors.
  public static func load(
    _ text: String, file: String? = nil, options: YAMLParser.Options = .init()
  ) throws(YAMLError) -> [JSONValue] {
    try withUTF8Buffer(of: text) { buffer throws(YAMLError) in
      try JSONStreamLoader.load(buffer: buffer, file: file, options: options)
    }
  }

  /// Every document of a YAML stream given as bytes (UTF-8, or UTF-16 with a byte order mark).
  public static func load(
    _ bytes: [UInt8], file: String? = nil, options: YAMLParser.Options = .init()
  ) throws(YAMLError) -> [JSONValue] {
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(YAMLError) in
        try JSONStreamLoader.load(buffer: buffer, file: file, options: options)
      }
    }
    return try result.get()
  }

  /// The single document of a YAML text: `null` when there is none, an error when there are several.
  public static func loadOne(
    _ text: String, file: String? = nil, options: YAMLParser.Options = .init()
  ) throws(YAMLError) -> JSONValue {
    try single(try load(text, file: file, options: options), file: file)
  }

  /// The single document of a YAML byte stream: `null` when there is none, an error when there are
  /// several.
  public static func loadOne(
    _ bytes: [UInt8], file: String? = nil, options: YAMLParser.Options = .init()
  ) throws(YAMLError) -> JSONValue {
    try single(try load(bytes, file: file, options: options), file: file)
  }

  private static func single(_ documents: [JSONValue], file: String?) throws(YAMLError) -> JSONValue
  {
    guard documents.count <= 1 else {
      throw .multipleDocuments(count: documents.count, file: file)
    }
    return documents.first ?? .null
  }

  /// One value as a YAML document (see `YAMLEmitter` for the style). `sortKeys` orders object keys
  /// as Helm's `toYaml` does.
  public static func dump(_ value: JSONValue, sortKeys: Bool = false) -> String {
    YAMLEmitter(sortKeys: sortKeys).emit([value])
  }

  /// Several values as a multi-document stream separated by `---`.
  public static func dumpAll(_ values: [JSONValue], sortKeys: Bool = false) -> String {
    YAMLEmitter(sortKeys: sortKeys).emit(values)
  }
}
