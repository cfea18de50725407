import Pipeline
import Testing

/// The job summary's Markdown: values cannot break tables or open HTML.
@Suite struct MarkdownSummaryTests {
  @Test func tableCellsEscapePipesNewlinesAndHTML() {
    var summary = MarkdownSummary()
    summary.table(["service", "reason"], [["user|service", "a\nb <script>"]], alignRight: [1])
    #expect(
      summary.text
        == "| service | reason |\n| --- | ---: |\n| user\\|service | a<br>b &lt;script&gt; |\n\n")
  }

  @Test func detailsUseAFenceLongerThanTheCodesBackticks() {
    var summary = MarkdownSummary()
    summary.details("update /Service:default/a", code: "+ x: ```\n- y", language: "diff")
    #expect(summary.text.contains("<details><summary>update /Service:default/a</summary>"))
    #expect(summary.text.contains("\n````diff\n+ x: ```\n- y\n````\n"))
    #expect(summary.text.hasSuffix("</details>\n\n"))
  }
}
