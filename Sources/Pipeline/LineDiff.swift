/// A line diff of two texts for the plan's summary: `-` lines only in the old, `+` only in the new,
/// unchanged lines kept as context (with a space) within `context` lines of a change.
enum LineDiff {
  static func unified(old: String, new: String, context: Int = 3) -> String {
    let a = lines(of: old)
    let b = lines(of: new)
    // Longest common subsequence by dynamic programming: objects are a few hundred lines at most.
    var lengths = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        lengths[i][j] =
          a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
      }
    }
    var lines: [(mark: Character, text: String)] = []
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if i < a.count, j < b.count, a[i] == b[j] {
        lines.append((" ", a[i]))
        i += 1
        j += 1
      } else if i < a.count, j == b.count || lengths[i + 1][j] >= lengths[i][j + 1] {
        // Removals before additions, as diff(1) shows a changed line.
        lines.append(("-", a[i]))
        i += 1
      } else {
        lines.append(("+", b[j]))
        j += 1
      }
    }
    let changed = lines.indices.filter { lines[$0].mark != " " }
    var output: [String] = []
    var lastShown = -1
    for index in lines.indices {
      let near = changed.contains { abs($0 - index) <= context }
      guard near else { continue }
      if lastShown >= 0, index > lastShown + 1 { output.append("@@") }
      output.append("\(lines[index].mark) \(lines[index].text)")
      lastShown = index
    }
    return output.joined(separator: "\n")
  }

  /// The text's lines; no line for an empty text or after a final newline.
  private static func lines(of text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines
  }
}
