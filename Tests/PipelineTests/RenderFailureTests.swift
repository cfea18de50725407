import Environments
import Helm
import Testing

@testable import Pipeline

/// Render errors point annotations at repository files: Helm names templates from the chart's
/// name, the repository keeps them under the chart's folder.
@Suite struct RenderFailureTests {
  @Test func helmExecutionErrorsMapToTheChartFolder() {
    let error = EnvironmentError.render(
      chart: "charts/tripgen",
      .execution(
        "template: tripgen/charts/redis/templates/statefulset.yaml:14:20: executing "
          + "\"x\" at <.Values.redis.port>: nil pointer"))
    #expect(
      RenderFailure.location(of: error, environment: nil)
        == SourceLocation(
          file: "charts/tripgen/charts/redis/templates/statefulset.yaml", line: 14, column: 20))
  }

  @Test func environmentFileErrorsKeepTheirFileAndLine() {
    let invalid = EnvironmentError.invalid(
      file: "environments/dev/environment.yaml", line: 9, field: "spec.images[1].name",
      message: "listed twice")
    #expect(
      RenderFailure.location(of: invalid, environment: nil)
        == SourceLocation(file: "environments/dev/environment.yaml", line: 9))
    let schema = EnvironmentError.schema(
      file: "environments/dev/environment.yaml",
      violations: ["line 17: spec.registry: additional property 'hots'"])
    #expect(RenderFailure.location(of: schema, environment: nil)?.line == 17)
  }

  @Test func pathsOutsideTheChartsStayAsTheyAre() {
    #expect(
      RenderFailure.repositoryPath("environments/dev/values.yaml", charts: ["charts/tripgen"])
        == "environments/dev/values.yaml")
    #expect(
      RenderFailure.repositoryPath("tripgen/values.yaml", charts: ["charts/tripgen"])
        == "charts/tripgen/values.yaml")
  }
}
