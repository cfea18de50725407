import ArgumentParser
import Git

/// `tripgen source changed FROM TO`: the paths that differ between two revisions.
struct SourceChangedCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "changed",
    abstract: "Print the paths changed between two revisions, one per line.",
    discussion:
      "A rename prints both its old and its new path; --output json shows the kind of change.")

  @OptionGroup var source: SourceRepositoryOptions

  @Argument(help: "The older revision.")
  var from: String

  @Argument(help: "The newer revision.")
  var to: String

  @Option(
    name: .shortAndLong,
    help: "Output format: text (one path per line) or json (each change, its status and paths).")
  var output: SourceOutputFormat = .text

  func run() async throws {
    let repository = try await source.openRepository()
    let old = try await repository.resolve(from)
    let new = try await repository.resolve(to)
    let changes = try await repository.changedPaths(from: old.id, to: new.id)
    switch output {
    case .text:
      for path in changes.flatMap(\.paths) { print(path) }
    case .json:
      try printJSON(changes)
    }
  }
}
