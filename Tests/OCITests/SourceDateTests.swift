import Foundation
import OCI
import TestSupport
import Testing

@Suite struct SourceDateTests {
  @Test func theGivenValueThenSourceDateEpochThenTheCommitTime() async throws {
    let directory = try TemporaryDirectory(prefix: "oci-source-date")
    let git = ["git", "-C", directory.path]
    try Command.check(git + ["init", "-q"])
    try Data("x\n".utf8).write(to: directory.file("file"))
    try Command.check(git + ["add", "file"])
    try Command.check(
      git + ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "first"],
      environment: [
        "GIT_COMMITTER_DATE": "@1600000000 +0000", "GIT_AUTHOR_DATE": "@1500000000 +0000",
      ])
    #expect(
      try await SourceDate.resolve(
        explicit: 7, environment: ["SOURCE_DATE_EPOCH": "9"], directory: directory.path)
        == 7)
    #expect(
      try await SourceDate.resolve(
        explicit: nil, environment: ["SOURCE_DATE_EPOCH": "9"], directory: directory.path)
        == 9)
    #expect(
      try await SourceDate.resolve(explicit: nil, environment: [:], directory: directory.path)
        == 1_600_000_000)
    let head = try Command.check(git + ["rev-parse", "HEAD"]).standardOutput
    #expect(
      await SourceDate.revision(directory: directory.path) == head.trimmingCharacters(in: .newlines)
    )
  }

  @Test func withoutACommitOrAValueItIsAnError() async throws {
    let directory = try TemporaryDirectory(prefix: "oci-source-date")
    await #expect(throws: OCIError.self) {
      _ = try await SourceDate.resolve(explicit: nil, environment: [:], directory: directory.path)
    }
    await #expect(throws: OCIError.self) {
      _ = try await SourceDate.resolve(
        explicit: nil, environment: ["SOURCE_DATE_EPOCH": "yesterday"], directory: directory.path)
    }
    #expect(await SourceDate.revision(directory: directory.path) == nil)
  }
}
