import Collections

/// A `JSONValue` can be a field of a Codable type (e.g. free-form Helm values). With YAMLDecoder and
/// YAMLEncoder it passes through as is; with other coders it maps onto their primitives.
extension JSONValue: Codable {
  public init(from decoder: any Decoder) throws {
    if let direct = decoder as? JSONValueDecoder {
      self = direct.value
      return
    }
    if var array = try? decoder.unkeyedContainer() {
      var items: [JSONValue] = []
      while !array.isAtEnd { items.append(try array.decode(JSONValue.self)) }
      self = .array(items)
      return
    }
    if let object = try? decoder.container(keyedBy: AnyKey.self) {
      var result = OrderedDictionary<String, JSONValue>()
      for key in object.allKeys {
        result[key.stringValue] = try object.decode(JSONValue.self, forKey: key)
      }
      self = .object(result)
      return
    }
    let single = try decoder.singleValueContainer()
    if single.decodeNil() {
      self = .null
    } else if let b = try? single.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? single.decode(Int.self) {
      self = .int(i)
    } else if let d = try? single.decode(Double.self) {
      self = .double(d)
    } else {
      self = .string(try single.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .null:
      var single = encoder.singleValueContainer()
      try single.encodeNil()
    case .bool(let b):
      var single = encoder.singleValueContainer()
      try single.encode(b)
    case .int(let i):
      var single = encoder.singleValueContainer()
      try single.encode(i)
    case .double(let d):
      var single = encoder.singleValueContainer()
      try single.encode(d)
    case .string(let s):
      var single = encoder.singleValueContainer()
      try single.encode(s)
    case .array(let items):
      var array = encoder.unkeyedContainer()
      for item in items { try array.encode(item) }
    case .object(let object):
      var container = encoder.container(keyedBy: AnyKey.self)
      for (key, value) in object { try container.encode(value, forKey: AnyKey(key)) }
    }
  }
}

/// Any string as a coding key.
private struct AnyKey: CodingKey {
  let stringValue: String
  var intValue: Int? { nil }
  init(_ string: String) { stringValue = string }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { stringValue = String(intValue) }
}
