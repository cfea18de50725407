/// Builds the Markdown of a job summary (`$GITHUB_STEP_SUMMARY`): headings, paragraphs, tables
/// and collapsible `<details>` sections. Cell text is escaped so that a `|` or a newline in a value
/// cannot break the table; code inside `<details>` goes in a fence longer than any backtick run
/// it holds.
public struct MarkdownSummary: Sendable {
  public private(set) var text = ""

  public init() {}

  public mutating func heading(_ title: String, level: Int = 2) {
    text +=
      String(repeating: "#", count: min(max(level, 1), 6)) + " " + Self.inline(title)
      + "\n\n"
  }

  public mutating func paragraph(_ line: String) {
    text += Self.inline(line) + "\n\n"
  }

  /// A paragraph of Markdown written by the caller (links, emphasis): not escaped.
  public mutating func raw(_ markdown: String) {
    text += markdown + "\n\n"
  }

  /// A table; `alignRight` lists the columns (by index) that hold numbers.
  public mutating func table(_ headers: [String], _ rows: [[String]], alignRight: Set<Int> = []) {
    text += "| " + headers.map(Self.cell).joined(separator: " | ") + " |\n"
    text +=
      "|"
      + headers.indices.map { alignRight.contains($0) ? " ---: " : " --- " }.joined(separator: "|")
      + "|\n"
    for row in rows {
      let padded = row + Array(repeating: "", count: max(0, headers.count - row.count))
      text += "| " + padded.map(Self.cell).joined(separator: " | ") + " |\n"
    }
    text += "\n"
  }

  /// A collapsed section: `summary` shows, `code` (in a fenced block of `language`) opens on click.
  public mutating func details(_ summary: String, code: String, language: String = "") {
    var fence = "```"
    while code.contains(fence) { fence += "`" }
    text +=
      "<details><summary>\(Self.html(summary))</summary>\n\n\(fence)\(language)\n\(code)"
      + (code.hasSuffix("\n") ? "" : "\n") + "\(fence)\n\n</details>\n\n"
  }

  /// A table cell: pipes escaped, line breaks as `<br>`, HTML-significant characters escaped.
  static func cell(_ text: String) -> String {
    html(text).replacingOccurrences(of: "|", with: "\\|")
      .replacingOccurrences(of: "\r\n", with: "<br>").replacingOccurrences(of: "\n", with: "<br>")
  }

  /// Inline text: HTML-significant characters escaped so a value cannot open a tag.
  static func inline(_ text: String) -> String {
    html(text).replacingOccurrences(of: "\n", with: " ")
  }

  static func html(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
