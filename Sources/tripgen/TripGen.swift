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

      Every verb spells an option the same way: --repo PATH is the local checkout (default: the \
      current directory), --repo-url URL a remote repository, --revision REV a branch, tag or \
      commit, -o/--output FORMAT the output format, --kubeconfig and --context the cluster. Old \
      spellings still work for one release, with a note on standard error.
      """,
    version: TripGenVersion.current,
    groupedSubcommands: [
      CommandGroup(
        name: "Deliver",
        subcommands: [
          CICommand.self, DiffCommand.self, SyncCommand.self, RollbackCommand.self,
        ]),
      CommandGroup(
        name: "Inspect",
        subcommands: [
          StatusCommand.self, HistoryCommand.self, RenderCommand.self, CheckCommand.self,
          SourceCommand.self, TemplateCommand.self,
        ]),
      CommandGroup(
        name: "Operate",
        subcommands: [
          EnvCommand.self, SecretsCommand.self, ControllerCommand.self, KubeCommand.self,
        ]),
      CommandGroup(name: "Build", subcommands: [ImageCommand.self]),
    ]
  )
}
