import ArgumentParser

/// The `tripgen` command: the TripGen GitOps toolkit.
@main
struct TripGen: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tripgen",
    abstract: "Build, render and deploy TripGen to Kubernetes from Git.",
    discussion: """
      TripGen Deploy is a GitOps reconciler in the Argo CD style: it watches a Git repository, builds \
      the service images without Docker, renders the Helm charts in charts/ with the values of an \
      environment in environments/, and applies them with server-side apply.

      Start with `tripgen ci --env local` (build, render, check, plan with no cloud account), or \
      `tripgen render --env dev` to see what would be applied.
      """,
    version: TripGenVersion.current,
    subcommands: [
      SourceCommand.self, TemplateCommand.self, ImageCommand.self, KubeCommand.self,
      DiffCommand.self,
      SyncCommand.self,
      StatusCommand.self,
      HistoryCommand.self,
      RollbackCommand.self,
      RenderCommand.self,
      CheckCommand.self,
      SecretsCommand.self,
      EnvCommand.self,
      CICommand.self,
      ControllerCommand.self,
    ]
  )
}
