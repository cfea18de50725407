import ArgumentParser
import Git

/// `tripgen source revision --revision REV`: the full commit id a branch, tag or id resolves to.
struct SourceRevisionCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revision",
    abstract: "Print the full commit id of a branch, tag or (short) commit id.")

  @OptionGroup var source: SourceRepositoryOptions

  @OptionGroup var revision: SourceRevisionOptions

  @Option(
    name: .shortAndLong,
    help: "Output format: text (the commit id) or json (id, author, time and message).")
  var output: SourceOutputFormat = .text

  func run() async throws {
    let repository = try await source.openRepository()
    let commit = try await repository.resolve(revision.value)
    switch output {
    case .text: print(commit.id.hex)
    case .json: try printJSON(commit)
    }
  }
}
