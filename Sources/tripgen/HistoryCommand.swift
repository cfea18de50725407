import ArgumentParser
import Environments
import GitOps

/// `tripgen history --env dev`: the last syncs, as recorded in the cluster.
struct HistoryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "List an environment's last syncs (revision, images, result, time, trigger).")

  @OptionGroup var options: GitOpsEnvironmentOptions

  @Option(name: .shortAndLong, help: "Output format: table, json or yaml.")
  var output: GitOpsOutputFormat = .table

  func run() async throws {
    // The history needs only the environment file, read from the working tree.
    let environment = try options.environmentFile()
    let entries = try await options.engine(for: environment).history(of: environment).entries()
    switch output {
    case .json, .yaml:
      print(try GitOpsPrinting.encoded(entries, as: output), terminator: "")
    case .table:
      if entries.isEmpty {
        print("no syncs recorded for \(environment.name)")
        return
      }
      print(
        GitOpsPrinting.table(
          ["ID", "RESULT", "REVISION", "STARTED", "FINISHED", "TRIGGER", "IMAGES"],
          entries.reversed().map { entry in
            [
              "#\(entry.id)", entry.result, String(entry.revision.prefix(12)), entry.startedAt,
              entry.finishedAt, entry.trigger,
              entry.images.map {
                "\($0.name)@\($0.digest.map { String($0.prefix(19)) } ?? "waiting")"
              }
              .joined(separator: " "),
            ]
          }), terminator: "")
    }
  }
}
