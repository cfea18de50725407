import GoTemplate
import YAML

extension TemplateValue {
  /// A values tree as templates see it: objects become Go maps, integers Go ints and doubles
  /// float64s (values files arrive with every number a double, as Helm reads them). Every map
  /// is new, so templates may change the tree without touching `json` or another tree.
  init(json: JSONValue) {
    switch json {
    case .null: self = .null
    case .bool(let bool): self = .bool(bool)
    case .int(let int): self = .int(int)
    case .double(let double): self = .float(double)
    case .string(let string): self = .string(string)
    case .array(let items): self = .list(items.map(TemplateValue.init(json:)))
    case .object(let entries):
      var map: [String: TemplateValue] = [:]
      map.reserveCapacity(entries.count)
      for (key, value) in entries { map[key] = TemplateValue(json: value) }
      self = .map(TemplateMap(map))
    }
  }

  /// The value with Go's kinds kept: float64s stay doubles even when whole (for `toToml`, whose
  /// encoder sees the Go values themselves, not JSON).
  var typedJSONValue: JSONValue {
    switch self {
    case .float(let double): return .double(double)
    case .list(let items): return .array(items.map(\.typedJSONValue))
    case .map(let map):
      var object = ValueTable()
      for (key, value) in map.entries { object[key] = value.typedJSONValue }
      return .object(object)
    default: return jsonValue
    }
  }

  /// The value as Go's encoding/json would see it, with float64s that hold whole numbers as
  /// integers (json.Marshal prints them without a fraction, so YAML reads them back as ints).
  var jsonValue: JSONValue {
    switch self {
    case .missing, .null, .function: return .null
    case .bool(let bool): return .bool(bool)
    case .int(let int): return .int(int)
    case .uint(let uint): return uint <= UInt(Int.max) ? .int(Int(uint)) : .double(Double(uint))
    case .float(let double):
      // json.Marshal writes -0 for negative zero; everything whole and small enough reads back
      // as an integer.
      if double == 0, double.sign == .minus { return .double(double) }
      if double == double.rounded(), abs(double) < 1e18 { return .int(Int(double)) }
      return .double(double)
    case .string(let string): return .string(string)
    case .list(let items): return .array(items.map(\.jsonValue))
    case .map(let reference):
      let map = reference.entries
      var object = ValueTable()
      for key in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
        object[key] = map[key]!.jsonValue
      }
      return .object(object)
    case .object(let object):
      return (object as? any JSONRepresentable)?.jsonValue ?? .null
    }
  }
}

/// A template object that has a JSON form (what `toYaml`/`toJson` produce for it).
protocol JSONRepresentable {
  var jsonValue: JSONValue { get }
}
