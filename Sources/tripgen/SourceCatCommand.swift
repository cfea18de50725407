import ArgumentParser
import Foundation
import Git

/// `tripgen source cat --revision REV PATH`: a file's contents at a revision, byte for byte.
struct SourceCatCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cat", abstract: "Print a file as it is at a revision.")

  @OptionGroup var source: SourceRepositoryOptions

  @OptionGroup var revision: SourceRevisionOptions

  @Argument(help: "The file's path from the repository root.")
  var path: String

  func run() async throws {
    let repository = try await source.openRepository()
    let commit = try await repository.resolve(revision.value)
    let bytes = try await repository.file(path, at: commit.id)
    FileHandle.standardOutput.write(Data(bytes))
  }
}
