import Collections
import YAML

/// A set of field paths in the API's `fieldsV1` form: `f:name` for a field, `k:{"name":"app"}` for
/// an item of a list with merge keys, `v:"x"` for an item of a set list, and `.` marking a node that
/// is itself a member (a list item) besides having members below it.
struct KubeAPIServerFieldSet: Equatable {
  var isMember = false
  var children: OrderedDictionary<String, KubeAPIServerFieldSet> = [:]

  var isEmpty: Bool { !isMember && children.isEmpty }

  init() {}

  init(fieldsV1: JSONValue) {
    guard case .object(let object) = fieldsV1 else { return }
    if object.isEmpty {
      isMember = true
      return
    }
    for (key, value) in object {
      if key == "." { isMember = true } else { children[key] = Self(fieldsV1: value) }
    }
  }

  var fieldsV1: JSONValue {
    if children.isEmpty { return [:] }
    var object: OrderedDictionary<String, JSONValue> = [:]
    if isMember { object["."] = [:] }
    for (key, child) in children { object[key] = child.fieldsV1 }
    return .object(object)
  }

  /// Every member path, parents before children.
  var members: [[String]] {
    var result: [[String]] = []
    func walk(_ node: Self, _ path: [String]) {
      if node.isMember { result.append(path) }
      for (key, child) in node.children { walk(child, path + [key]) }
    }
    walk(self, [])
    return result
  }

  func node(at path: [String]) -> Self? {
    var current = self
    for element in path {
      guard let next = current.children[element] else { return nil }
      current = next
    }
    return current
  }

  func contains(_ path: [String]) -> Bool { node(at: path)?.isMember ?? false }

  /// Whether the path or anything below it is a member.
  func touches(_ path: [String]) -> Bool { node(at: path).map { !$0.isEmpty } ?? false }

  mutating func insert(_ path: [String]) {
    guard let first = path.first else {
      isMember = true
      return
    }
    children[first, default: Self()].insert(Array(path.dropFirst()))
  }

  mutating func remove(_ path: [String]) {
    guard let first = path.first else {
      isMember = false
      return
    }
    guard var child = children[first] else { return }
    child.remove(Array(path.dropFirst()))
    children[first] = child.isEmpty ? nil : child
  }

  mutating func formUnion(_ other: Self) {
    for path in other.members { insert(path) }
  }

  // MARK: Building a set from an object

  /// The fields an object sets, as server-side apply counts them: every scalar, atomic list and
  /// empty map is a leaf; items of lists with merge keys and of set lists are members.
  static func of(object: JSONValue) -> Self {
    var set = Self()
    guard case .object(let fields) = object else { return set }
    for (key, value) in fields { set.children["f:\(key)"] = of(value: value, field: key) }
    return set
  }

  private static func of(value: JSONValue, field: String) -> Self {
    switch value {
    case .object(let fields) where !fields.isEmpty:
      return of(object: value)
    case .array(let items):
      var set = Self()
      if let keys = KubeAPIServerFieldSet.mergeKeys(field: field, items: items) {
        for item in items {
          var child = of(object: item)
          child.isMember = true
          set.children[itemKey(item, keys: keys)] = child
        }
        return set
      }
      if setListFields.contains(field), items.allSatisfy(\.isScalar) {
        for item in items { set.children["v:" + KubeAPIServerJSON.string(item)] = leaf }
        return set
      }
      return leaf
    default:
      return leaf
    }
  }

  static var leaf: Self {
    var set = Self()
    set.isMember = true
    return set
  }

  /// Lists of scalars the API treats as sets (`x-kubernetes-list-type: set`).
  static let setListFields: Set<String> = ["finalizers"]

  /// The merge keys of the lists the built-in types declare as maps
  /// (`x-kubernetes-list-type: map`), or nil for an atomic list.
  static func mergeKeys(field: String, items: [JSONValue]) -> [String]? {
    let keys: [String]
    switch field {
    case "containers", "initContainers", "ephemeralContainers", "env", "volumes",
      "imagePullSecrets":
      keys = ["name"]
    case "volumeMounts": keys = ["mountPath"]
    case "conditions": keys = ["type"]
    case "ownerReferences": keys = ["uid"]
    case "hostAliases": keys = ["ip"]
    case "topologySpreadConstraints": keys = ["topologyKey", "whenUnsatisfiable"]
    case "ports":
      if items.allSatisfy({ $0["containerPort"] != nil }) {
        keys = ["containerPort", "protocol"]
      } else if items.allSatisfy({ $0["port"] != nil }) {
        keys = ["port", "protocol"]
      } else {
        return nil
      }
    default: return nil
    }
    let required = keys.filter { $0 != "protocol" }
    guard items.allSatisfy({ item in required.allSatisfy { item[$0] != nil } }) else { return nil }
    return keys
  }

  /// `k:{"containerPort":80,"protocol":"TCP"}`: key fields in name order; a port's protocol
  /// defaults to TCP as the API defaults it.
  static func itemKey(_ item: JSONValue, keys: [String]) -> String {
    var object: OrderedDictionary<String, JSONValue> = [:]
    for key in keys.sorted() {
      if let value = item[key] {
        object[key] = value
      } else if key == "protocol" {
        object[key] = "TCP"
      }
    }
    return "k:" + KubeAPIServerJSON.string(.object(object))
  }

  // MARK: Paths into objects

  /// `.spec.template.spec.containers[name="app"].image`, as structured-merge-diff prints a path.
  static func describe(_ path: [String]) -> String {
    var text = ""
    for element in path {
      let body = String(element.dropFirst(2))
      if element.hasPrefix("f:") {
        text += "." + body
      } else if element.hasPrefix("k:"),
        case .object(let keys)? = try? KubeAPIServerJSON.decode(Array(body.utf8))
      {
        text +=
          "["
          + keys.map { "\($0.key)=\(KubeAPIServerJSON.string($0.value))" }.joined(separator: ",")
          + "]"
      } else if element.hasPrefix("v:") {
        text += "[=\(body)]"
      } else {
        text += "[\(body)]"
      }
    }
    return text
  }

  /// The value a path leads to in an object, or nil when it leads nowhere.
  static func value(at path: [String], in root: JSONValue) -> JSONValue? {
    var current = root
    var field = ""
    for element in path {
      if element.hasPrefix("f:") {
        field = String(element.dropFirst(2))
        guard let next = current[field] else { return nil }
        current = next
      } else if let index = itemIndex(element, field: field, in: current) {
        current = current[index]!
      } else {
        return nil
      }
    }
    return current
  }

  static func itemIndex(_ element: String, field: String, in list: JSONValue) -> Int? {
    guard case .array(let items) = list else { return nil }
    if element.hasPrefix("k:") {
      guard let keys = mergeKeys(field: field, items: items) else { return nil }
      return items.firstIndex { itemKey($0, keys: keys) == element }
    }
    if element.hasPrefix("v:") {
      return items.firstIndex { "v:" + KubeAPIServerJSON.string($0) == element }
    }
    return nil
  }

  /// Removes what a path leads to; maps left empty by the removal are removed too.
  static func remove(_ path: [String], from root: inout JSONValue, field: String = "") {
    guard let element = path.first else { return }
    let rest = Array(path.dropFirst())
    if element.hasPrefix("f:") {
      let name = String(element.dropFirst(2))
      guard case .object(var object) = root, var child = object[name] else { return }
      if rest.isEmpty {
        object[name] = nil
      } else {
        remove(rest, from: &child, field: name)
        if case .object(let o) = child, o.isEmpty {
          object[name] = nil
        } else {
          object[name] = child
        }
      }
      root = .object(object)
    } else if case .array(var items) = root, let index = itemIndex(element, field: field, in: root)
    {
      if rest.isEmpty {
        items.remove(at: index)
      } else {
        remove(rest, from: &items[index], field: field)
      }
      root = .array(items)
    }
  }

  /// Merges an applied configuration into a live object: maps merge field by field, lists with
  /// merge keys item by item, set lists by value; anything else is replaced.
  static func merge(_ live: JSONValue?, _ applied: JSONValue, field: String = "") -> JSONValue {
    switch (live, applied) {
    case (.object(var object)?, .object(let patch)):
      for (key, value) in patch { object[key] = merge(object[key], value, field: key) }
      return .object(object)
    case (.array(var items)?, .array(let patch)):
      if let keys = mergeKeys(field: field, items: items + patch) {
        for item in patch {
          let key = itemKey(item, keys: keys)
          if let index = items.firstIndex(where: { itemKey($0, keys: keys) == key }) {
            items[index] = merge(items[index], item, field: field)
          } else {
            items.append(item)
          }
        }
        return .array(items)
      }
      if setListFields.contains(field) {
        for item in patch where !items.contains(item) { items.append(item) }
        return .array(items)
      }
      return applied
    default:
      return applied
    }
  }
}

extension JSONValue {
  var isScalar: Bool {
    switch self {
    case .array, .object: return false
    default: return true
    }
  }
}
