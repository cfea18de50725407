import YAML

/// A label selector in the API's string form: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
/// `a notin (x)`, `a`, `!a`, joined by commas (all must hold).
struct KubeAPIServerLabelSelector {
  enum Requirement {
    case equals(String, String)
    case notEquals(String, String)
    case isIn(String, Set<String>)
    case notIn(String, Set<String>)
    case exists(String)
    case doesNotExist(String)
  }

  var requirements: [Requirement] = []

  init(parsing text: String) throws(KubeAPIServerFailure) {
    var rest = Substring(text)
    func fail() -> KubeAPIServerFailure {
      .badRequest("unable to parse requirement: found '\(rest)', expected: identifier")
    }
    while !rest.isEmpty {
      rest = rest.drop(while: { $0 == " " })
      if rest.isEmpty { break }
      // One requirement runs to the next comma outside parentheses.
      var depth = 0
      var end = rest.startIndex
      while end < rest.endIndex {
        let c = rest[end]
        if c == "(" { depth += 1 }
        if c == ")" { depth -= 1 }
        if c == "," && depth == 0 { break }
        end = rest.index(after: end)
      }
      let part = rest[rest.startIndex..<end].trimmingSpaces
      rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
      if part.hasPrefix("!") {
        requirements.append(.doesNotExist(String(part.dropFirst()).trimmingSpaces))
      } else if let range = part.range(of: "!=") {
        requirements.append(
          .notEquals(
            String(part[..<range.lowerBound]).trimmingSpaces,
            String(part[range.upperBound...]).trimmingSpaces))
      } else if let range = part.range(of: "==") ?? part.range(of: "=") {
        requirements.append(
          .equals(
            String(part[..<range.lowerBound]).trimmingSpaces,
            String(part[range.upperBound...]).trimmingSpaces))
      } else if let range = part.range(of: " notin ") ?? part.range(of: " in ") {
        let key = String(part[..<range.lowerBound]).trimmingSpaces
        let list = part[range.upperBound...].trimmingSpaces
        guard list.hasPrefix("("), list.hasSuffix(")") else { throw fail() }
        let values = Set(
          list.dropFirst().dropLast().split(separator: ",").map { String($0).trimmingSpaces })
        requirements.append(
          part[range].contains("notin") ? .notIn(key, values) : .isIn(key, values))
      } else if !part.isEmpty, !part.contains(" ") {
        requirements.append(.exists(part))
      } else {
        throw fail()
      }
    }
  }

  func matches(_ labels: [String: String]) -> Bool {
    requirements.allSatisfy { requirement in
      switch requirement {
      case .equals(let key, let value): return labels[key] == value
      case .notEquals(let key, let value): return labels[key] != value
      case .isIn(let key, let values): return labels[key].map(values.contains) ?? false
      case .notIn(let key, let values): return !(labels[key].map(values.contains) ?? false)
      case .exists(let key): return labels[key] != nil
      case .doesNotExist(let key): return labels[key] == nil
      }
    }
  }
}

/// A field selector: `metadata.name=x`, `metadata.namespace!=y`, the fields every kind supports.
struct KubeAPIServerFieldSelector {
  var requirements: [(field: String, value: String, equal: Bool)] = []

  init(parsing text: String) throws(KubeAPIServerFailure) {
    for part in text.split(separator: ",") {
      let (field, value, equal): (Substring, Substring, Bool)
      if let range = part.range(of: "!=") {
        (field, value, equal) = (part[..<range.lowerBound], part[range.upperBound...], false)
      } else if let range = part.range(of: "==") ?? part.range(of: "=") {
        (field, value, equal) = (part[..<range.lowerBound], part[range.upperBound...], true)
      } else {
        throw .badRequest("invalid selector: '\(text)'; can't understand '\(part)'")
      }
      let name = String(field).trimmingSpaces
      guard name == "metadata.name" || name == "metadata.namespace" else {
        throw .badRequest("field label not supported: \(name)")
      }
      requirements.append((name, String(value).trimmingSpaces, equal))
    }
  }

  func matches(_ object: JSONValue) -> Bool {
    requirements.allSatisfy { requirement in
      let key = requirement.field == "metadata.name" ? "name" : "namespace"
      let actual = object["metadata"]?[key]?.stringValue ?? ""
      return (actual == requirement.value) == requirement.equal
    }
  }
}

extension StringProtocol {
  var trimmingSpaces: String {
    String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}
