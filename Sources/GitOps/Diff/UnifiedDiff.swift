/// The unified diff format of GNU `diff -u`: `---`/`+++` labels, hunks `@@ -a,b +c,d @@` with
/// `context` lines around each change, and hunks whose context would touch merged into one.
public enum UnifiedDiff {
  /// The diff of two texts, empty when they are equal. Lines end at `\n`; a last line without one is
  /// followed by `\ No newline at end of file`, as in GNU diff.
  public static func render(
    old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3
  ) -> String {
    let oldLines = lines(of: old)
    let newLines = lines(of: new)
    let changes = LineDiff.changes(from: oldLines, to: newLines)
    guard !changes.isEmpty else { return "" }
    var output = "--- \(oldLabel)\n+++ \(newLabel)\n"
    // At most every line of both sides plus markers: one allocation instead of many.
    output.reserveCapacity(old.utf8.count + new.utf8.count + 2 * (oldLines.count + newLines.count))
    for hunk in hunks(changes, context: max(0, context)) {
      write(
        hunk, context: max(0, context), old: oldLines, new: newLines, into: &output)
    }
    return output
  }

  /// Lines with their `\n` kept, so that a last line without one differs from the same text with one.
  static func lines(of text: String) -> [Substring] {
    // Scan the UTF-8 bytes, not Characters: grapheme breaking would cost more than the diff. The
    // index after a line feed is always a Character boundary (Unicode breaks after LF).
    var lines: [Substring] = []
    let bytes = text.utf8
    var start = bytes.startIndex
    var index = start
    while index != bytes.endIndex {
      let next = bytes.index(after: index)
      if bytes[index] == UInt8(ascii: "\n") {
        lines.append(text[start..<next])
        start = next
      }
      index = next
    }
    if start != bytes.endIndex { lines.append(text[start...]) }
    return lines
  }

  /// Changes grouped into hunks: two changes share a hunk when at most `2 * context` unchanged lines
  /// separate them (their contexts would meet), as GNU diff groups them.
  private static func hunks(_ changes: [LineChange], context: Int) -> [ArraySlice<LineChange>] {
    var hunks: [ArraySlice<LineChange>] = []
    var first = changes.startIndex
    for index in changes.indices.dropFirst()
    where changes[index].oldStart - changes[index - 1].oldEnd > 2 * context {
      hunks.append(changes[first..<index])
      first = index
    }
    hunks.append(changes[first...])
    return hunks
  }

  private static func write(
    _ hunk: ArraySlice<LineChange>, context: Int, old: [Substring], new: [Substring],
    into output: inout String
  ) {
    let firstChange = hunk.first!
    let lastChange = hunk.last!
    let leading = min(context, firstChange.oldStart)
    let oldFrom = firstChange.oldStart - leading
    let newFrom = firstChange.newStart - leading
    let trailing = min(context, old.count - lastChange.oldEnd)
    let oldTo = lastChange.oldEnd + trailing
    let newTo = lastChange.newEnd + trailing
    output +=
      "@@ -\(range(from: oldFrom, to: oldTo)) +\(range(from: newFrom, to: newTo)) @@\n"
    var position = oldFrom
    for change in hunk {
      for line in old[position..<change.oldStart] { append(" ", line, to: &output) }
      for line in old[change.oldStart..<change.oldEnd] { append("-", line, to: &output) }
      for line in new[change.newStart..<change.newEnd] { append("+", line, to: &output) }
      position = change.oldEnd
    }
    for line in old[position..<oldTo] { append(" ", line, to: &output) }
  }

  /// GNU diff's ranges: `start,count`, just `start` for one line, and `before,0` for none (the line
  /// before the empty range, so that a diff against an empty file reads `-0,0`).
  private static func range(from start: Int, to end: Int) -> String {
    switch end - start {
    case 0: return "\(start),0"
    case 1: return "\(start + 1)"
    case let count: return "\(start + 1),\(count)"
    }
  }

  private static func append(_ marker: Character, _ line: Substring, to output: inout String) {
    output.append(marker)
    output += line
    if line.last != "\n" { output += "\n\\ No newline at end of file\n" }
  }
}
