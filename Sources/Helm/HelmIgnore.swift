/// The rules of a chart's `.helmignore`, read as Helm reads them: one pattern a line, `#`
/// comments, `!` negation, a trailing `/` for directories only, a leading `/` anchoring at the
/// chart root, patterns with a `/` matched against the whole path and others against the base
/// name, with Go's `filepath.Match` syntax.
public struct HelmIgnore: Sendable {
  private struct Rule: Sendable {
    var pattern: GlobPattern
    var negate: Bool
    var directoryOnly: Bool
    var matchesBaseName: Bool
  }

  private var rules: [Rule] = []

  /// Rules from the text of a `.helmignore`, plus Helm's default (hidden files in `templates/`).
  /// `file` names it in errors.
  public init(_ text: String = "", file: String = ".helmignore") throws(HelmError) {
    try add("templates/.?*", file: file)
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      try add(String(line), file: file)
    }
  }

  private mutating func add(_ line: String, file: String) throws(HelmError) {
    var rule = line.trimmingWhitespace()
    if rule.isEmpty || rule.hasPrefix("#") { return }
    if rule.contains("**") {
      throw .invalidChart(file: file, message: "double-star (**) syntax is not supported")
    }
    var negate = false
    if rule.hasPrefix("!") {
      negate = true
      rule.removeFirst()
    }
    var directoryOnly = false
    if rule.hasSuffix("/") {
      directoryOnly = true
      rule.removeLast()
    }
    var matchesBaseName = false
    if rule.hasPrefix("/") {
      rule.removeFirst()
    } else if !rule.contains("/") {
      matchesBaseName = true
    }
    rules.append(
      Rule(
        pattern: GlobPattern(rule), negate: negate, directoryOnly: directoryOnly,
        matchesBaseName: matchesBaseName))
  }

  /// Whether `path` (relative to the chart root) is ignored.
  public func ignores(_ path: String, isDirectory: Bool) -> Bool {
    if path.isEmpty || path == "." || path == "./" { return false }
    let baseName = path.split(separator: "/").last.map(String.init) ?? path
    for rule in rules {
      let matched = rule.pattern.matches(rule.matchesBaseName ? baseName : path)
      if rule.negate {
        if rule.directoryOnly && !isDirectory { return true }
        if !matched { return true }
        continue
      }
      if rule.directoryOnly && !isDirectory { continue }
      if matched { return true }
    }
    return false
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces, tabs and line breaks.
  func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
    let end = lastIndex(where: { !isSpace($0) })!
    return String(self[start...end])
  }
}
