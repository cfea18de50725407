import Foundation
import GoTemplate

/// A semantic version as `github.com/Masterminds/semver/v3` parses it (`NewVersion`, the lenient
/// form): an optional `v`, missing minor and patch read as 0, prerelease and build metadata.
struct SemanticVersion: Sendable {
  /// Why text is not a version, worded as Masterminds' errors.
  struct ParseError: Error {
    let message: String
  }

  var major: UInt64
  var minor: UInt64
  var patch: UInt64
  var prerelease: String
  var metadata: String
  var original: String

  // The lenient grammar of Masterminds' `versionRegex`.
  private static let grammar = try! NSRegularExpression(
    pattern:
      #"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"#
  )

  init(parsing text: String) throws {
    let range = NSRange(text.startIndex..., in: text)
    guard let match = Self.grammar.firstMatch(in: text, range: range) else {
      throw ParseError(message: "invalid semantic version")
    }
    func group(_ index: Int) -> String {
      let range = match.range(at: index)
      return range.location == NSNotFound ? "" : text.substring(range)
    }
    func number(_ text: String) throws -> UInt64 {
      guard let value = UInt64(text) else {
        throw ParseError(message: "error parsing version segment: \(text)")
      }
      return value
    }
    major = try number(group(1))
    minor = group(2).isEmpty ? 0 : try number(String(group(2).dropFirst()))
    patch = group(3).isEmpty ? 0 : try number(String(group(3).dropFirst()))
    prerelease = group(5)
    metadata = group(8)
    original = text
    for identifier in prerelease.split(separator: ".", omittingEmptySubsequences: false)
    where identifier.count > 1 && identifier.first == "0" && identifier.allSatisfy(\.isNumber) {
      throw ParseError(message: "version segment starts with 0")
    }
  }

  init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: String = "") {
    self.major = major
    self.minor = minor
    self.patch = patch
    self.prerelease = prerelease
    self.metadata = ""
    self.original = ""
    self.original = description
  }

  /// `Version.String()`: canonical, without the `v`.
  var description: String {
    var text = "\(major).\(minor).\(patch)"
    if !prerelease.isEmpty { text += "-" + prerelease }
    if !metadata.isEmpty { text += "+" + metadata }
    return text
  }

  /// `Version.Compare`: -1, 0 or 1 by precedence; build metadata is ignored.
  func compare(_ other: SemanticVersion) -> Int {
    for (mine, theirs) in [(major, other.major), (minor, other.minor), (patch, other.patch)]
    where mine != theirs {
      return mine < theirs ? -1 : 1
    }
    if prerelease == other.prerelease { return 0 }
    if prerelease.isEmpty { return 1 }
    if other.prerelease.isEmpty { return -1 }
    let mine = prerelease.split(separator: ".", omittingEmptySubsequences: false)
    let theirs = other.prerelease.split(separator: ".", omittingEmptySubsequences: false)
    for index in 0..<max(mine.count, theirs.count) {
      let left = index < mine.count ? String(mine[index]) : ""
      let right = index < theirs.count ? String(theirs[index]) : ""
      let order = Self.comparePart(left, right)
      if order != 0 { return order }
    }
    return 0
  }

  /// Masterminds' `comparePrePart`: numbers below words, numbers numerically, words by bytes,
  /// a missing part below a present one.
  private static func comparePart(_ left: String, _ right: String) -> Int {
    if left == right { return 0 }
    if left.isEmpty { return -1 }
    if right.isEmpty { return 1 }
    let leftNumber = UInt64(left)
    let rightNumber = UInt64(right)
    switch (leftNumber, rightNumber) {
    case (nil, nil): return left.utf8.lexicographicallyPrecedes(right.utf8) ? -1 : 1
    case (nil, _): return 1
    case (_, nil): return -1
    case (let l?, let r?): return l > r ? 1 : -1
    }
  }
}

/// The `*semver.Version` that Sprig's `semver` returns, with its methods callable from
/// templates: `.Major`, `.Minor`, `.Patch`, `.Prerelease`, `.Metadata`, `.Original`, `.String`,
/// `.Compare`, `.LessThan`, `.GreaterThan`, `.Equal`, `.IncMajor`, `.IncMinor`, `.IncPatch`.
struct SemanticVersionObject: TemplateObject, GoJSONEncodable {
  let version: SemanticVersion

  var typeName: String { "*semver.Version" }
  var printed: String { version.description }
  var jsonValue: TemplateValue { .string(version.description) }

  func field(named name: String) -> TemplateValue? { nil }

  func method(named name: String) -> TemplateFunction? {
    let version = self.version
    func constant(_ value: TemplateValue) -> TemplateFunction {
      TemplateFunction(arity: .exactly(0)) { _, _ in value }
    }
    func comparing(_ body: @escaping @Sendable (Int) -> TemplateValue) -> TemplateFunction {
      TemplateFunction(arity: .exactly(1)) { arguments, _ in
        guard case .object(let object) = arguments[0], let other = object as? SemanticVersionObject
        else { throw wrongType(arguments[0], expected: "*semver.Version") }
        return body(version.compare(other.version))
      }
    }
    switch name {
    case "Major": return constant(.uint(UInt(version.major)))
    case "Minor": return constant(.uint(UInt(version.minor)))
    case "Patch": return constant(.uint(UInt(version.patch)))
    case "Prerelease": return constant(.string(version.prerelease))
    case "Metadata": return constant(.string(version.metadata))
    case "Original": return constant(.string(version.original))
    case "String": return constant(.string(version.description))
    case "Compare": return comparing { .int($0) }
    case "LessThan": return comparing { .bool($0 < 0) }
    case "GreaterThan": return comparing { .bool($0 > 0) }
    case "Equal": return comparing { .bool($0 == 0) }
    case "IncMajor":
      return constant(
        .object(
          SemanticVersionObject(
            version: SemanticVersion(major: version.major + 1, minor: 0, patch: 0))))
    case "IncMinor":
      return constant(
        .object(
          SemanticVersionObject(
            version: SemanticVersion(major: version.major, minor: version.minor + 1, patch: 0))))
    case "IncPatch":
      // Masterminds drops the prerelease instead of incrementing when there is one.
      let patch = version.prerelease.isEmpty ? version.patch + 1 : version.patch
      return constant(
        .object(
          SemanticVersionObject(
            version: SemanticVersion(major: version.major, minor: version.minor, patch: patch))))
    default: return nil
    }
  }
}
