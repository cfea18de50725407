/// Encodes Codable values as YAML, through `JSONValue` and `YAMLEmitter`. Object keys keep the order
/// in which the type encodes them (a struct's declaration order with synthesized conformances)
/// unless `sortKeys` is set.
public struct YAMLEncoder: Sendable {
  /// Sort object keys as Helm's `toYaml` does.
  public var sortKeys: Bool
  /// Fold long strings at this column (go-yaml's 80 by default); nil never folds.
  public var lineWidth: Int?

  public init(sortKeys: Bool = false, lineWidth: Int? = 80) {
    self.sortKeys = sortKeys
    self.lineWidth = lineWidth
  }

  /// The value as a JSON value, as it would be written.
  public func encodeToJSONValue<T: Encodable>(_ value: T) throws(YAMLError) -> JSONValue {
    do {
      return try JSONValueEncoder.encode(value)
    } catch let error as EncodingError {
      switch error {
      case .invalidValue(_, let context):
        throw .encoding(
          message: context.debugDescription, codingPath: codingPathText(context.codingPath))
      @unknown default:
        throw .encoding(message: "\(error)", codingPath: "")
      }
    } catch {
      throw .encoding(message: "\(error)", codingPath: "")
    }
  }

  /// The value as one YAML document.
  public func encode<T: Encodable>(_ value: T) throws(YAMLError) -> String {
    YAMLEmitter(sortKeys: sortKeys, lineWidth: lineWidth).emit([try encodeToJSONValue(value)])
  }

  /// The values as a multi-document stream separated by `---`.
  public func encodeAll<T: Encodable>(_ values: [T]) throws(YAMLError) -> String {
    var documents: [JSONValue] = []
    for value in values { documents.append(try encodeToJSONValue(value)) }
    return YAMLEmitter(sortKeys: sortKeys, lineWidth: lineWidth).emit(documents)
  }
}
