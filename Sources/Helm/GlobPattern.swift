/// Shell-style patterns as Go's `filepath.Match` reads them (`*`, `?`, `[a-z]`, `[^x]`, `\`
/// escapes; `*` never crosses `/`), optionally with the extensions of gobwas/glob that Helm's
/// `.Files.Glob` uses: `**` crossing `/` and `{a,b}` alternatives.
struct GlobPattern: Sendable {
  private let pattern: [Character]
  private let extended: Bool

  /// `extended` enables `**` and `{a,b}`.
  init(_ pattern: String, extended: Bool = false) {
    self.pattern = Array(pattern)
    self.extended = extended
  }

  /// Whether the whole of `name` matches.
  func matches(_ name: String) -> Bool {
    match(pattern[...], Array(name)[...])
  }

  private func match(_ pattern: ArraySlice<Character>, _ name: ArraySlice<Character>) -> Bool {
    var p = pattern
    var n = name
    while let c = p.first {
      switch c {
      case "*":
        var rest = p.dropFirst()
        var crossesSlash = false
        if extended, rest.first == "*" {
          crossesSlash = true
          rest = rest.drop(while: { $0 == "*" })
        }
        var candidate = n
        while true {
          if match(rest, candidate) { return true }
          guard let next = candidate.first, crossesSlash || next != "/" else { return false }
          candidate = candidate.dropFirst()
        }
      case "?":
        guard let next = n.first, next != "/" else { return false }
        p = p.dropFirst()
        n = n.dropFirst()
      case "[":
        guard let next = n.first, next != "/",
          let (matched, after) = matchClass(p.dropFirst(), next), matched
        else { return false }
        p = after
        n = n.dropFirst()
      case "{" where extended:
        guard let close = p.firstIndex(of: "}") else { return literal(c, &p, &n) }
        let body = p[p.index(after: p.startIndex)..<close]
        let rest = p[p.index(after: close)...]
        for alternative in body.split(separator: ",", omittingEmptySubsequences: false) {
          if match(ArraySlice(alternative) + rest, n) { return true }
        }
        return false
      case "\\":
        p = p.dropFirst()
        guard let escaped = p.first else { return false }
        if !literal(escaped, &p, &n) { return false }
      default:
        if !literal(c, &p, &n) { return false }
      }
    }
    return n.isEmpty
  }

  private func literal(
    _ c: Character, _ p: inout ArraySlice<Character>, _ n: inout ArraySlice<Character>
  ) -> Bool {
    guard n.first == c else { return false }
    p = p.dropFirst()
    n = n.dropFirst()
    return true
  }

  /// Matches `character` against the class whose body starts at `body` (after `[`); returns
  /// whether it matched and the pattern after `]`, or nil for a malformed class.
  private func matchClass(_ body: ArraySlice<Character>, _ character: Character) -> (
    Bool, ArraySlice<Character>
  )? {
    var p = body
    var negated = false
    if p.first == "^" || p.first == "!" {
      negated = true
      p = p.dropFirst()
    }
    var matched = false
    var first = true
    while let c = p.first {
      if c == "]" && !first {
        return (matched != negated, p.dropFirst())
      }
      first = false
      var low = c
      p = p.dropFirst()
      if low == "\\" {
        guard let escaped = p.first else { return nil }
        low = escaped
        p = p.dropFirst()
      }
      var high = low
      if p.first == "-", let after = p.dropFirst().first, after != "]" {
        high = after
        p = p.dropFirst(2)
      }
      if low <= character && character <= high { matched = true }
    }
    return nil
  }
}
