import YAML

extension JSONValue {
  /// Sets the value at a path of object keys, creating objects on the way (and replacing anything
  /// that is not an object).
  public mutating func set(_ path: some Collection<String>, _ value: JSONValue) {
    guard let key = path.first else {
      self = value
      return
    }
    var object = objectValue ?? [:]
    var child = object[key] ?? .object([:])
    child.set(path.dropFirst(), value)
    object[key] = child
    self = .object(object)
  }
}
