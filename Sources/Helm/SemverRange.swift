import Foundation

/// Semantic version constraints as Helm checks a dependency's `version` against a subchart's
/// (Masterminds/semver): `1.2.3`, `=`, `!=`, `>`, `>=`, `<`, `<=`, `~1.2`, `^1.2`, wildcards
/// (`1.2.x`, `*`), hyphen ranges (`1.0 - 2.0`), `,` or space for "and", `||` for "or".
/// Pre-release versions only satisfy constraints that name a pre-release, as in semver.
struct SemverRange: Sendable {
  private struct Version: Comparable {
    var numbers: [Int]
    var prerelease: String

    init?(_ text: String) {
      var text = Substring(text.trimmingWhitespace())
      if text.hasPrefix("v") { text = text.dropFirst() }
      if let plus = text.firstIndex(of: "+") { text = text[..<plus] }
      var prerelease = ""
      if let dash = text.firstIndex(of: "-") {
        prerelease = String(text[text.index(after: dash)...])
        text = text[..<dash]
      }
      let parts = text.split(separator: ".", omittingEmptySubsequences: false)
      guard (1...3).contains(parts.count) else { return nil }
      var numbers: [Int] = []
      for part in parts {
        guard let number = Int(part) else { return nil }
        numbers.append(number)
      }
      while numbers.count < 3 { numbers.append(0) }
      self.numbers = numbers
      self.prerelease = prerelease
    }

    static func < (a: Version, b: Version) -> Bool {
      if a.numbers != b.numbers { return a.numbers.lexicographicallyPrecedes(b.numbers) }
      if a.prerelease == b.prerelease { return false }
      if a.prerelease.isEmpty { return false }
      if b.prerelease.isEmpty { return true }
      return a.prerelease < b.prerelease
    }
  }

  /// One comparison: the operator and the (possibly partial) version it names.
  private struct Comparison {
    var op: String
    var parts: [Int?]  // nil for a wildcard
    var prerelease: String

    func satisfied(by version: Version) -> Bool {
      let fixed = parts.prefix { $0 != nil }.map { $0! }
      func bound(_ numbers: [Int]) -> Version {
        var v = Version("0.0.0")!
        v.numbers = numbers + Array(repeating: 0, count: 3 - numbers.count)
        v.prerelease = prerelease
        return v
      }
      func bump(_ numbers: [Int], at index: Int) -> Version {
        var n = Array(numbers.prefix(index + 1))
        n[index] += 1
        var v = bound(n)
        v.prerelease = ""
        return v
      }
      let low = bound(fixed)
      switch op {
      case "", "=":
        if fixed.count == 3 {
          return version.numbers == low.numbers && version.prerelease == prerelease
        }
        if fixed.isEmpty { return true }
        return version >= low && version < bump(fixed, at: fixed.count - 1)
      case "!=":
        if fixed.count == 3 {
          return !(version.numbers == low.numbers && version.prerelease == prerelease)
        }
        if fixed.isEmpty { return false }
        return !(version >= low && version < bump(fixed, at: fixed.count - 1))
      case ">":
        if fixed.count == 3 { return version > low }
        if fixed.isEmpty { return false }
        return version >= bump(fixed, at: fixed.count - 1)
      case ">=": return version >= low
      case "<": return version < low
      case "<=":
        if fixed.count == 3 || fixed.isEmpty { return fixed.isEmpty || version <= low }
        return version < bump(fixed, at: fixed.count - 1)
      case "~", "~>":
        if fixed.isEmpty { return true }
        return version >= low && version < bump(fixed, at: fixed.count == 1 ? 0 : 1)
      case "^":
        if fixed.isEmpty { return true }
        let index = fixed.firstIndex { $0 != 0 } ?? (fixed.count - 1)
        return version >= low && version < bump(fixed, at: min(index, fixed.count - 1))
      default: return false
      }
    }
  }

  private var alternatives: [[Comparison]] = []

  /// Parses a constraint; nil when it is malformed.
  init?(_ text: String) {
    for alternative in text.components(separatedBy: "||") {
      var comparisons: [Comparison] = []
      var tokens = alternative.replacingOccurrences(of: ",", with: " ").split(separator: " ")
        .map(String.init)
      // Join operators written apart from their version: ">= 1.0".
      var joined: [String] = []
      var index = 0
      while index < tokens.count {
        if ["=", "!=", ">", ">=", "<", "<=", "~", "~>", "^"].contains(tokens[index]),
          index + 1 < tokens.count
        {
          joined.append(tokens[index] + tokens[index + 1])
          index += 2
        } else {
          joined.append(tokens[index])
          index += 1
        }
      }
      tokens = joined
      index = 0
      while index < tokens.count {
        if index + 2 < tokens.count, tokens[index + 1] == "-" {
          guard let low = Self.comparison(">=" + tokens[index]),
            let high = Self.comparison("<=" + tokens[index + 2])
          else { return nil }
          comparisons += [low, high]
          index += 3
          continue
        }
        guard let comparison = Self.comparison(tokens[index]) else { return nil }
        comparisons.append(comparison)
        index += 1
      }
      alternatives.append(comparisons)
    }
  }

  private static func comparison(_ token: String) -> Comparison? {
    var rest = Substring(token)
    var op = ""
    for candidate in ["!=", ">=", "<=", "~>", "=", ">", "<", "~", "^"]
    where rest.hasPrefix(candidate) {
      op = candidate
      rest = rest.dropFirst(candidate.count)
      break
    }
    if rest.hasPrefix("v") { rest = rest.dropFirst() }
    if let plus = rest.firstIndex(of: "+") { rest = rest[..<plus] }
    var prerelease = ""
    if let dash = rest.firstIndex(of: "-") {
      prerelease = String(rest[rest.index(after: dash)...])
      rest = rest[..<dash]
    }
    var parts: [Int?] = []
    for part in rest.split(separator: ".", omittingEmptySubsequences: false) {
      if part == "x" || part == "X" || part == "*" {
        parts.append(nil)
      } else if let number = Int(part) {
        if parts.contains(where: { $0 == nil }) { return nil }
        parts.append(number)
      } else {
        return nil
      }
    }
    guard (1...3).contains(parts.count) else { return nil }
    return Comparison(op: op, parts: parts, prerelease: prerelease)
  }

  /// Whether `version` satisfies the constraint; an unparsable version never does.
  func contains(_ version: String) -> Bool {
    guard let parsed = Version(version) else { return false }
    return alternatives.contains { comparisons in
      if !parsed.prerelease.isEmpty, !comparisons.contains(where: { !$0.prerelease.isEmpty }) {
        return false
      }
      return comparisons.allSatisfy { $0.satisfied(by: parsed) }
    }
  }

  /// Helm's `IsCompatibleRange`: an unparsable constraint or version is incompatible.
  static func isCompatible(constraint: String, version: String) -> Bool {
    guard let range = SemverRange(constraint) else { return false }
    return range.contains(version)
  }
}
