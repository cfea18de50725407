import Collections

/// Builds one JSON object from a YAML mapping, with go-yaml v2's rules for keys:
///
/// - Keys become strings as sigs.k8s.io/yaml converts them for JSON: strings as they are, integers in
///   decimal, booleans as `true`/`false`, floats in Go's `%g` with 32-bit precision. Null and
///   collection keys are errors (JSON cannot carry them).
/// - A key written twice in the same mapping is an error naming both places. The comparison is on
///   the converted key, so `true:` and `yes:` collide, as Kubernetes' strict decoding finds them.
/// - Merge keys (`<<`) apply where they appear: their entries overwrite what the mapping holds so
///   far, and keys written later overwrite merged ones; neither counts as a duplicate. In a list of
///   merged mappings the earlier ones win. This is go-yaml v2's order-dependent behaviour (v3 lets
///   explicit keys always win).
struct MappingBuilder {
  private(set) var entries: OrderedDictionary<String, JSONValue> = [:]
  /// Parallel to `entries`: where each key was written, or nil when it came from a merge.
  private var writtenAt: [Mark?] = []

  init() {}

  mutating func set(_ key: String, _ value: JSONValue, writtenAt mark: Mark, file: String?)
    throws(YAMLError)
  {
    if let index = entries.index(forKey: key) {
      if let first = writtenAt[index] {
        throw .duplicateKey(key, YAMLLocation(file: file, mark: mark), first: first)
      }
      entries.values[index] = value
      writtenAt[index] = mark
    } else {
      entries[key] = value
      writtenAt.append(mark)
    }
  }

  /// Applies a `<<` value (already converted): a mapping, or a sequence of mappings.
  mutating func merge(_ value: JSONValue, at location: YAMLLocation) throws(YAMLError) {
    switch value {
    case .object(let object):
      mergeOne(object)
    case .array(let items):
      var objects: [OrderedDictionary<String, JSONValue>] = []
      for item in items {
        guard case .object(let object) = item else { throw .invalidMerge(location) }
        objects.append(object)
      }
      for object in objects.reversed() { mergeOne(object) }
    default:
      throw .invalidMerge(location)
    }
  }

  private mutating func mergeOne(_ object: OrderedDictionary<String, JSONValue>) {
    for (key, value) in object {
      if let index = entries.index(forKey: key) {
        entries.values[index] = value
        writtenAt[index] = nil
      } else {
        entries[key] = value
        writtenAt.append(nil)
      }
    }
  }

  /// The JSON key for a resolved scalar key, or nil for a value JSON cannot use as a key.
  static func keyText(_ resolved: ResolvedScalar, text: () -> String) -> String? {
    switch resolved {
    case .string: return text()
    case .int(let value): return String(value)
    case .bool(let value): return value ? "true" : "false"
    case .double(let value): return YAMLFloatText.key(value)
    case .null, .bigInt: return nil
    }
  }

  /// The JSON key for an already converted key value (tagged scalars, aliases).
  static func keyText(_ value: JSONValue) -> String? {
    switch value {
    case .string(let text): return text
    case .int(let value): return String(value)
    case .bool(let value): return value ? "true" : "false"
    case .double(let value): return YAMLFloatText.key(value)
    case .null, .array, .object: return nil
    }
  }

  static func kindName(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .array: return "sequence"
    case .object: return "mapping"
    default: return "value"
    }
  }
}
