import YAML

extension JSONValue {
  /// The value `pointer` refers to, or nil when it refers to nothing.
  public subscript(pointer pointer: JSONPointer) -> JSONValue? {
    var current = self
    for token in pointer.tokens {
      guard let next = current.child(token) else { return nil }
      current = next
    }
    return current
  }

  /// This value without what `pointer` refers to. A pointer that refers to nothing changes nothing;
  /// the empty pointer (the whole document) leaves `null`.
  public func removing(_ pointer: JSONPointer) -> JSONValue {
    guard !pointer.tokens.isEmpty else { return .null }
    var copy = self
    copy.remove(pointer.tokens[...])
    return copy
  }

  private func child(_ token: String) -> JSONValue? {
    switch self {
    case .object(let object): return object[token]
    case .array(let array):
      guard let index = Self.arrayIndex(token), array.indices.contains(index) else { return nil }
      return array[index]
    default: return nil
    }
  }

  private mutating func remove(_ tokens: ArraySlice<String>) {
    guard let token = tokens.first else { return }
    let rest = tokens.dropFirst()
    switch self {
    case .object(var object):
      guard object.index(forKey: token) != nil else { return }
      if rest.isEmpty {
        object.removeValue(forKey: token)
      } else {
        object[token]!.remove(rest)
      }
      self = .object(object)
    case .array(var array):
      guard let index = Self.arrayIndex(token), array.indices.contains(index) else { return }
      if rest.isEmpty {
        array.remove(at: index)
      } else {
        array[index].remove(rest)
      }
      self = .array(array)
    default:
      return
    }
  }

  /// RFC 6901 array indices: `0`, or digits without a leading zero.
  private static func arrayIndex(_ token: String) -> Int? {
    guard let first = token.first, first.isASCII, first.isNumber,
      token == "0" || first != "0", token.allSatisfy({ $0.isASCII && $0.isNumber })
    else { return nil }
    return Int(token)
  }
}
