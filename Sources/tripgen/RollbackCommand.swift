import ArgumentParser
import Environments
import GitOps

/// `tripgen rollback --env dev [ID]`: syncs a recorded revision with its recorded image digests.
struct RollbackCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollback",
    abstract: "Sync an earlier revision from the history, with the image digests it had.",
    discussion: """
      Without ID, the last successful sync before the current one. While the environment's \
      syncPolicy.automated is on, the controller would sync Git's revision again at once: the \
      rollback is refused unless --force.
      """)

  @OptionGroup var options: GitOpsEnvironmentOptions

  @Argument(help: "The history entry (see `tripgen history`).")
  var id: Int?

  @Flag(help: "Roll back even though automated sync is on.")
  var force = false

  @Flag(help: "Delete objects the earlier revision does not have.")
  var prune = false

  @Option(help: "How long a wave may take to become healthy (Go duration).")
  var timeout = "5m"

  @Option(name: .shortAndLong, help: "Output format of the result: table, json or yaml.")
  var output: GitOpsOutputFormat = .table

  func run() async throws {
    // Only the environment file: the current revision may be the broken one being rolled back.
    let environment = try options.environmentFile()
    if environment.spec.syncPolicy.automated && !force {
      throw GitOpsError.rollbackWhileAutomated(environment: environment.name)
    }
    let engine = try options.engine(for: environment)
    let entry = try await Rollback.target(id: id, history: engine.history(of: environment))
    let desired = try await options.desiredState(revision: entry.revision, images: entry.images)
    var syncOptions = SyncOptions()
    syncOptions.prune = prune ? true : nil
    syncOptions.timeout = try DurationSetting.seconds(timeout, field: "--timeout")
    syncOptions.trigger = "rollback to #\(entry.id) (\(SyncCommand.trigger()))"
    let result = try await SyncCommand.runCancellable(
      engine: engine, desired: desired, options: syncOptions, output: output)
    try SyncCommand.report(result, output: output)
  }
}
