import ArgumentParser

/// The `tripgen` command: the TripGen GitOps toolkit.
@main
struct TripGen: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tripgen",
    abstract: "Build, render and deploy TripGen to Kubernetes from Git.",
    discussion: """
      TripGen Deploy is a GitOps reconciler in the Argo CD style: it watches a Git repository, builds \
      the service images without Docker, renders the Helm charts in environments/, and applies them \
      with server-side apply.

      Commands appear here as they are built; see README.md for the state of the project.
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
