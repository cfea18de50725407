import Pipeline
import Testing

/// Workflow commands are written as the runner parses them: escaped data and properties.
@Suite struct WorkflowCommandTests {
  @Test func anErrorWithFileLineColumnAndTitle() {
    let command = WorkflowCommand.error(
      "values: replicas must be a number",
      location: SourceLocation(file: "charts/app/templates/deployment.yaml", line: 12, column: 7),
      title: "render")
    #expect(
      command.description
        == "::error file=charts/app/templates/deployment.yaml,line=12,col=7,title=render::"
        + "values: replicas must be a number")
  }

  @Test func dataEscapesPercentCarriageReturnAndNewlineOnly() {
    let command = WorkflowCommand.warning("100% done\r\nnext: a,b")
    #expect(command.description == "::warning::100%25 done%0D%0Anext: a,b")
  }

  @Test func propertiesAlsoEscapeColonAndComma() {
    let command = WorkflowCommand.error(
      "x", location: SourceLocation(file: "a,b:c%.yaml", line: 1), title: "one, two: three\n")
    #expect(
      command.description == "::error file=a%2Cb%3Ac%25.yaml,line=1,title=one%2C two%3A three%0A::x"
    )
  }

  @Test func groupsAndMasks() {
    #expect(
      WorkflowCommand.group("swift build user-service").description
        == "::group::swift build user-service")
    #expect(WorkflowCommand.endGroup.description == "::endgroup::")
    #expect(WorkflowCommand.addMask("p@ss\nword").description == "::add-mask::p@ss%0Aword")
  }
}
