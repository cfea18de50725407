import GoTemplate

/// Sprig's path functions: Go's `path` package (slash-separated), and the `os*` variants from
/// `path/filepath`, which on Linux behave the same.
enum PathFunctions {
  static let functions: [String: TemplateFunction] = {
    var table: [String: TemplateFunction] = [:]
    for prefix in ["", "os"] {
      func name(_ base: String) -> String {
        prefix.isEmpty ? base : prefix + base.prefix(1).uppercased() + base.dropFirst()
      }
      table[name("base")] = stringFunction(GoPath.base)
      table[name("dir")] = stringFunction(GoPath.dir)
      table[name("clean")] = stringFunction(GoPath.clean)
      table[name("ext")] = stringFunction(GoPath.ext)
      table[name("isAbs")] = function(1) { .bool(try $0.string(0).hasPrefix("/")) }
    }
    return table
  }()
}

/// Go's `path` package.
enum GoPath {
  /// `path.Clean`: the shortest equivalent path, purely lexically.
  static func clean(_ path: String) -> String {
    if path.isEmpty { return "." }
    let rooted = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case "..":
        if let last = parts.last, last != ".." {
          parts.removeLast()
        } else if !rooted {
          parts.append(part)
        }
      default: parts.append(part)
      }
    }
    let joined = parts.joined(separator: "/")
    if rooted { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }

  /// `path.Base`: the last element, trailing slashes dropped; "." for empty, "/" for slashes.
  static func base(_ path: String) -> String {
    if path.isEmpty { return "." }
    var trimmed = Substring(path)
    while trimmed.count > 0 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    if let slash = trimmed.lastIndex(of: "/") { trimmed = trimmed[trimmed.index(after: slash)...] }
    return trimmed.isEmpty ? "/" : String(trimmed)
  }

  /// `path.Dir`: everything but the last element, cleaned.
  static func dir(_ path: String) -> String {
    let directory: Substring
    if let slash = path.lastIndex(of: "/") {
      directory = path[...slash]
    } else {
      directory = ""
    }
    return clean(String(directory))
  }

  /// `path.Ext`: the suffix from the last dot in the last element, or "".
  static func ext(_ path: String) -> String {
    for index in path.indices.reversed() {
      if path[index] == "/" { break }
      if path[index] == "." { return String(path[index...]) }
    }
    return ""
  }
}
