import Collections
import Foundation

/// An `Encoder` producing a `JSONValue`; object keys keep the order in which they were encoded.
struct JSONValueEncoder: Encoder {
  let node: EncodingNode
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  static func encode(_ value: some Encodable) throws -> JSONValue {
    let root = EncodingNode()
    try JSONValueEncoder(node: root, codingPath: []).encodeValue(value)
    return root.value
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .object = node.content {} else { node.content = .object([:]) }
    return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .array = node.content {} else { node.content = .array([]) }
    return UnkeyedContainer(node: node, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { self }

  func encodeValue<T: Encodable>(_ value: T) throws {
    if let json = value as? JSONValue {
      node.content = .value(json)
    } else if let url = value as? URL {
      node.content = .value(.string(url.absoluteString))
    } else {
      try value.encode(to: self)
    }
  }
}

/// A value under construction: containers hand out child nodes that are filled in later.
final class EncodingNode {
  enum Content {
    case value(JSONValue)
    case object(OrderedDictionary<String, EncodingNode>)
    case array([EncodingNode])
  }

  /// An encoder that encodes nothing leaves an empty object, as Foundation's JSONEncoder does.
  var content = Content.object([:])

  var value: JSONValue {
    switch content {
    case .value(let value): return value
    case .object(let children): return .object(children.mapValues(\.value))
    case .array(let children): return .array(children.map(\.value))
    }
  }

  func child(forKey key: String) -> EncodingNode {
    guard case .object(var children) = content else { preconditionFailure("not an object") }
    if let existing = children[key] { return existing }
    let child = EncodingNode()
    children[key] = child
    content = .object(children)
    return child
  }

  func appendChild() -> EncodingNode {
    guard case .array(var children) = content else { preconditionFailure("not an array") }
    let child = EncodingNode()
    children.append(child)
    content = .array(children)
    return child
  }
}

extension JSONValueEncoder: SingleValueEncodingContainer {
  func encodeNil() { node.content = .value(.null) }
  func encode(_ value: Bool) { node.content = .value(.bool(value)) }
  func encode(_ value: String) { node.content = .value(.string(value)) }
  func encode(_ value: Double) { node.content = .value(.double(value)) }
  func encode(_ value: Float) { node.content = .value(.double(Double(value))) }
  func encode(_ value: Int) { node.content = .value(.int(value)) }
  func encode(_ value: Int8) { node.content = .value(.int(Int(value))) }
  func encode(_ value: Int16) { node.content = .value(.int(Int(value))) }
  func encode(_ value: Int32) { node.content = .value(.int(Int(value))) }
  func encode(_ value: Int64) { node.content = .value(.int(Int(value))) }
  func encode(_ value: UInt) throws { try encodeUnsigned(value) }
  func encode(_ value: UInt8) { node.content = .value(.int(Int(value))) }
  func encode(_ value: UInt16) { node.content = .value(.int(Int(value))) }
  func encode(_ value: UInt32) { node.content = .value(.int(Int(value))) }
  func encode(_ value: UInt64) throws { try encodeUnsigned(value) }

  /// Unsigned values beyond Int64 become doubles, as JSON conversion makes them on the way back.
  private func encodeUnsigned<T: BinaryInteger>(_ value: T) throws {
    node.content = .value(Int(exactly: value).map(JSONValue.int) ?? .double(Double(value)))
  }

  func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let node: EncodingNode
  let codingPath: [any CodingKey]

  private func child(_ key: Key) -> JSONValueEncoder {
    JSONValueEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
  }

  mutating func encodeNil(forKey key: Key) { child(key).encodeNil() }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try child(key).encodeValue(value)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  )
    -> KeyedEncodingContainer<NestedKey>
  { child(key).container(keyedBy: keyType) }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    child(key).unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder {
    JSONValueEncoder(node: node.child(forKey: "super"), codingPath: codingPath)
  }

  mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
  let node: EncodingNode
  let codingPath: [any CodingKey]
  var count: Int {
    if case .array(let children) = node.content { return children.count }
    return 0
  }

  private func next() -> JSONValueEncoder {
    let index = count
    return JSONValueEncoder(node: node.appendChild(), codingPath: codingPath + [IndexKey(index)])
  }

  mutating func encodeNil() { next().encodeNil() }
  mutating func encode<T: Encodable>(_ value: T) throws { try next().encodeValue(value) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  { next().container(keyedBy: keyType) }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    next().unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder { next() }
}
