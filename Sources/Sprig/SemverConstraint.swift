import Foundation

/// A version constraint in Masterminds semver v3 syntax: comparisons (`=`, `!=`, `>`, `<`,
/// `>=`/`=>`, `<=`/`=<`), tilde (`~`, `~>`) and caret (`^`) ranges, wildcards (`1.x`, `1.2.*`,
/// and missing parts: `1.2` is `1.2.x`), hyphen ranges (`1.2 - 1.4.5`), comparisons joined by
/// commas or spaces (AND) and groups joined by `||` (OR).
///
/// A version with a prerelease satisfies a group of comparisons only if one of them has a
/// prerelease: `>=1.19` rejects `1.27.3-gke.100` while `>=1.19-0` accepts it.
struct SemverConstraint {
  private struct Comparison {
    var operation: String
    var version: SemanticVersion
    var dirty: Bool
    var minorDirty: Bool
    var patchDirty: Bool
  }

  private let groups: [[Comparison]]

  private static let versionPattern =
    #"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"#
  private static let operatorPattern = #"(=>|=<|~>|!=|>=|<=|=|>|<|~|\^)"#
  private static let range = try! NSRegularExpression(
    pattern: #"\s*("# + versionPattern + #")\s+-\s+("# + versionPattern + #")\s*"#)
  private static let single = try! NSRegularExpression(
    pattern: #"^\s*"# + operatorPattern + #"?\s*("# + versionPattern + #")\s*$"#)
  private static let valid = try! NSRegularExpression(
    pattern: #"^(\s*"# + operatorPattern + #"?\s*"# + versionPattern + #"\s*,?)+$"#)
  private static let find = try! NSRegularExpression(
    pattern: operatorPattern + #"?\s*"# + versionPattern)

  /// Why the constraint text is not a constraint.
  struct ParseError: Error {
    let message: String
  }

  init(parsing text: String) throws {
    // Hyphen ranges become comparisons: "1.2 - 1.4" is ">= 1.2, <= 1.4". (Replaced by hand:
    // ICU reads the template "$11" as group 1 followed by "1".)
    var rewritten = ""
    var last = 0
    let string = text as NSString
    for match in Self.range.matches(in: text, range: NSRange(location: 0, length: string.length)) {
      rewritten += string.substring(
        with: NSRange(location: last, length: match.range.location - last))
      rewritten +=
        " >= \(string.substring(with: match.range(at: 1))), <= \(string.substring(with: match.range(at: 11))) "
      last = match.range.location + match.range.length
    }
    rewritten += string.substring(from: last)
    var groups: [[Comparison]] = []
    for group in rewritten.components(separatedBy: "||") {
      let whole = NSRange(group.startIndex..., in: group)
      guard Self.valid.firstMatch(in: group, range: whole) != nil else {
        throw ParseError(message: "improper constraint: \(GoPrinting.quote(group))")
      }
      let pieces = Self.find.matches(in: group, range: whole).map { group.substring($0.range) }
      groups.append(try pieces.map(Self.comparison))
    }
    self.groups = groups
  }

  private static func comparison(_ text: String) throws -> Comparison {
    guard let match = single.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
    else { throw ParseError(message: "improper constraint: \(GoPrinting.quote(text))") }
    func group(_ index: Int) -> String {
      let range = match.range(at: index)
      return range.location == NSNotFound ? "" : text.substring(range)
    }
    let operation = group(1)
    let major = group(3)
    let minor = String(group(4).dropFirst())
    let patch = String(group(5).dropFirst())
    let prerelease = group(6)
    func isWildcard(_ part: String) -> Bool { part == "x" || part == "X" || part == "*" }
    var versionText = group(2)
    var dirty = false
    var minorDirty = false
    var patchDirty = false
    if isWildcard(major) {
      versionText = "0.0.0" + prerelease
      dirty = true
    } else if minor.isEmpty || isWildcard(minor) {
      versionText = major + ".0.0" + prerelease
      dirty = true
      minorDirty = true
    } else if patch.isEmpty || isWildcard(patch) {
      versionText = major + "." + minor + ".0" + prerelease
      dirty = true
      patchDirty = true
    }
    guard let version = try? SemanticVersion(parsing: versionText) else {
      throw ParseError(message: "constraint parser error")
    }
    return Comparison(
      operation: operation, version: version, dirty: dirty, minorDirty: minorDirty,
      patchDirty: patchDirty)
  }

  /// Whether `version` satisfies any group, all of whose comparisons it satisfies.
  func isSatisfied(by version: SemanticVersion) -> Bool {
    groups.contains { group in
      // A prerelease in any comparison of a group lets the whole group consider prereleases.
      let includePrerelease = group.contains { !$0.version.prerelease.isEmpty }
      return group.allSatisfy { Self.check(version, $0, includePrerelease: includePrerelease) }
    }
  }

  private static func check(_ v: SemanticVersion, _ c: Comparison, includePrerelease: Bool)
    -> Bool
  {
    // A prerelease version only satisfies groups that mention prereleases themselves.
    if !includePrerelease && !v.prerelease.isEmpty && c.version.prerelease.isEmpty { return false }
    let con = c.version
    switch c.operation {
    case "", "=":
      return c.dirty ? tilde(v, c) : v.compare(con) == 0
    case "!=":
      if c.dirty {
        if con.major != v.major { return true }
        if con.minor != v.minor && !c.minorDirty { return true }
        if c.minorDirty { return false }
        if con.patch != v.patch && !c.patchDirty { return true }
        if c.patchDirty { return false }
      }
      return v.compare(con) != 0
    case ">":
      if !c.dirty { return v.compare(con) > 0 }
      if v.major > con.major { return true }
      if v.major < con.major { return false }
      if c.minorDirty { return false }
      if c.patchDirty { return v.minor > con.minor }
      return v.compare(con) > 0
    case "<":
      return v.compare(con) < 0
    case ">=", "=>":
      return v.compare(con) >= 0
    case "<=", "=<":
      if !c.dirty { return v.compare(con) <= 0 }
      if v.major > con.major { return false }
      if v.major == con.major && v.minor > con.minor && !c.minorDirty { return false }
      return true
    case "~", "~>":
      return tilde(v, c)
    case "^":
      return caret(v, c)
    default:
      return false
    }
  }

  private static func tilde(_ v: SemanticVersion, _ c: Comparison) -> Bool {
    let con = c.version
    if v.compare(con) < 0 { return false }
    if con.major == 0 && con.minor == 0 && con.patch == 0 && !c.minorDirty && !c.patchDirty {
      return true
    }
    if v.major != con.major { return false }
    if v.minor != con.minor && !c.minorDirty { return false }
    return true
  }

  private static func caret(_ v: SemanticVersion, _ c: Comparison) -> Bool {
    let con = c.version
    if v.compare(con) < 0 { return false }
    if con.major > 0 || c.minorDirty { return v.major == con.major }
    if v.major > 0 { return false }
    if con.minor > 0 || c.patchDirty { return v.minor == con.minor }
    if v.minor > 0 { return false }
    return v.patch == con.patch
  }
}
