import ArgumentParser
import Foundation
import Git

/// `tripgen source cat --ref REF PATH`: a file's contents at a revision, byte for byte.
struct SourceCatCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cat", abstract: "Print a file as it is at a revision.")

  @OptionGroup var source: SourceRepositoryOptions

  @Option(help: "A branch, tag, or full or short commit id.")
  var ref: String = "HEAD"

  @Argument(help: "The file's path from the repository root.")
  var path: String

  func run() async throws {
    let repository = try await source.openRepository()
    let commit = try await repository.resolve(ref)
    let bytes = try await repository.file(path, at: commit.id)
    FileHandle.standardOutput.write(Data(bytes))
  }
}
