import ArgumentParser
import Delivery
import GitOps

/// `tripgen status --env dev`: sync status, health per object, the last sync.
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show whether an environment is in sync, each object's health, and its last sync.")

  @OptionGroup var options: GitOpsEnvironmentOptions

  @Option(name: .shortAndLong, help: "Output format: table, json or yaml.")
  var output: GitOpsOutputFormat = .table

  func run() async throws {
    let options = self.options
    // Status is what the cluster holds: a registry that cannot be asked only means the digests
    // come from the last sync's record instead.
    let desired = try await options.desiredState(whenStoreFails: { environment, reason in
      GitOpsPrinting.printError(
        "warning: the registry cannot be asked (\(reason)); images are bound to the digests "
          + "the last successful sync recorded")
      let history = try options.engine(for: environment).history(of: environment)
      return try await history.entries().last { $0.result == SyncHistory.succeeded }?.images ?? []
    })
    let status = try await Delivery.status(desired, on: options.engine(for: desired.environment))
    switch output {
    case .json, .yaml:
      print(try GitOpsPrinting.encoded(status, as: output), terminator: "")
    case .table:
      print("Environment: \(status.environment) (namespace \(status.namespace))")
      print("Revision:    \(status.revision)")
      print("Sync:        \(status.sync.rawValue)")
      if !status.waitingForImages.isEmpty {
        print("Waiting for: \(status.waitingForImages.joined(separator: ", "))")
      }
      print(
        "Health:      \(status.health.status.rawValue)"
          + (status.health.message.map { " - \($0)" } ?? ""))
      if let last = status.lastSync {
        print(
          "Last sync:   #\(last.id) \(last.result) at \(last.finishedAt), revision "
            + "\(last.revision.prefix(12)), \(last.trigger)")
      } else {
        print("Last sync:   none recorded")
      }
      print("")
      print(
        GitOpsPrinting.table(
          ["KIND", "NAMESPACE", "NAME", "SYNC", "HEALTH", "MESSAGE"],
          status.objects.map {
            [
              $0.kind, $0.namespace.isEmpty ? "-" : $0.namespace, $0.name, $0.syncLabel,
              $0.health.status.rawValue, $0.health.message ?? "",
            ]
          }), terminator: "")
    }
  }
}
