import ArgumentParser
import Git

/// `tripgen source tree --revision REV PATH`: the object id of a path at a revision, as
/// `git rev-parse REV:PATH` prints it. Image tags are derived from these ids.
struct SourceTreeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tree",
    abstract: "Print the tree id of a directory (or the blob id of a file) at a revision.")

  @OptionGroup var source: SourceRepositoryOptions

  @OptionGroup var revision: SourceRevisionOptions

  @Argument(help: "The path from the repository root; empty or '.' for the root tree.")
  var path: String = ""

  func run() async throws {
    let repository = try await source.openRepository()
    let commit = try await repository.resolve(revision.value)
    print(try await repository.objectID(at: path, in: commit.id).hex)
  }
}
