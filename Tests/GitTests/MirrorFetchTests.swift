import Foundation
import TestSupport
import Testing

@testable import Git

@Suite("Mirroring and fetching over file://")
struct MirrorFetchTests {
  @Test func mirrorsAllBranchesAndTagsAndReportsCreation() async throws {
    let sample = try SampleRepository()
    try sample.work.git("branch", "feature/x", sample.first)
    try sample.work.push()
    let mirror = try await GitRepository.mirror(
      of: "file://" + sample.bare, in: sample.mirrorDirectory())
    let result = try await mirror.fetch()
    #expect(result.defaultBranch == "refs/heads/main")
    #expect(
      Set(result.updates.map(\.name)) == [
        "refs/heads/main", "refs/heads/feature/x", "refs/tags/v1", "refs/tags/v1-light",
      ])
    #expect(result.updates.allSatisfy { $0.old == nil && !$0.isRewrite })
    #expect(result.receivedObjects > 0)
    #expect(try await mirror.resolve("main").id.hex == sample.second)
    #expect(try await mirror.resolve("HEAD").id.hex == sample.second)
    #expect(try await mirror.resolve("feature/x").id.hex == sample.first)
    #expect(try await mirror.resolve("v1").id.hex == sample.first)
    let annotated = try #require(result.update(of: "refs/tags/v1")?.new)
    #expect(annotated.hex == (try sample.work.git("rev-parse", "v1")))

    // Nothing changed: a second fetch reports nothing.
    #expect(try await mirror.fetch().updates.isEmpty)
    // The mirror is bare and has no work tree: files are read from the object database.
    #expect(!FileManager.default.fileExists(atPath: sample.mirrorDirectory() + "/README.md"))
  }

  @Test func incrementalFetchReportsFastForwardsAndPrunesDeletedBranches() async throws {
    let sample = try SampleRepository()
    try sample.work.git("branch", "short-lived")
    try sample.work.push()
    let mirror = try await GitRepository.mirror(of: sample.bare, in: sample.mirrorDirectory())
    _ = try await mirror.fetch()

    try sample.work.write("README.md", "# Sample, updated\n")
    let third = try sample.work.commitAll("Third commit")
    try sample.work.git("branch", "-D", "short-lived")
    try sample.work.push()

    let result = try await mirror.fetch()
    let main = try #require(result.update(of: "refs/heads/main"))
    #expect(main.old?.hex == sample.second)
    #expect(main.new?.hex == third)
    #expect(!main.isRewrite)
    let pruned = try #require(result.update(of: "refs/heads/short-lived"))
    #expect(pruned.new == nil)
    #expect(try await mirror.references()["refs/heads/short-lived"] == nil)
    let readme = try await mirror.file("README.md", at: try #require(ObjectID(hex: third)))
    #expect(String(decoding: readme, as: UTF8.self) == "# Sample, updated\n")
  }

  @Test func forcePushIsReportedAsRewriteAndTheMirrorFollows() async throws {
    let sample = try SampleRepository()
    let mirror = try await GitRepository.mirror(
      of: "file://" + sample.bare, in: sample.mirrorDirectory())
    _ = try await mirror.fetch()

    try sample.work.git("reset", "--quiet", "--hard", sample.first)
    try sample.work.write("charts/app/values.yaml", "replicas: 5\n")
    let rewritten = try sample.work.commitAll("Rewritten second commit")
    try sample.work.push()

    let result = try await mirror.fetch()
    #expect(result.rewrites.map(\.name) == ["refs/heads/main"])
    let main = try #require(result.update(of: "refs/heads/main"))
    #expect(main.old?.hex == sample.second)
    #expect(main.new?.hex == rewritten)
    #expect(try await mirror.resolve("main").id.hex == rewritten)
  }

  @Test func keepOldPolicyRefusesRewrites() async throws {
    let sample = try SampleRepository()
    let mirror = try await GitRepository.mirror(of: sample.bare, in: sample.mirrorDirectory())
    _ = try await mirror.fetch()
    try sample.work.git("reset", "--quiet", "--hard", sample.first)
    _ = try sample.work.commitAll("Rewritten")
    try sample.work.push()

    await #expect(
      throws: GitError.historyRewritten(url: sample.bare, branches: ["refs/heads/main"])
    ) {
      try await mirror.fetch(onHistoryRewrite: .keepOld)
    }
    #expect(try await mirror.resolve("main").id.hex == sample.second)
  }

  @Test func emptyRemoteMirrorsAndResolvesToATypedError() async throws {
    let directory = try TemporaryDirectory(prefix: "tripgen-git")
    let bare = directory.file("empty.git").path
    try GitTestProcess.run("/usr/bin/git", ["init", "--quiet", "--bare", bare])
    let mirror = try await GitRepository.mirror(of: bare, in: directory.file("mirror").path)
    let result = try await mirror.fetch()
    #expect(result.updates.isEmpty)
    await #expect(throws: GitError.emptyRepository(repository: bare)) {
      try await mirror.resolve("main")
    }
  }

  @Test func disappearedRemoteFailsWithTheURLAndLibgit2Message() async throws {
    let sample = try SampleRepository()
    let url = "file://" + sample.bare
    let mirror = try await GitRepository.mirror(of: url, in: sample.mirrorDirectory())
    _ = try await mirror.fetch()
    try FileManager.default.removeItem(atPath: sample.bare)
    do {
      _ = try await mirror.fetch()
      Issue.record("fetching a removed repository succeeded")
    } catch {
      guard case .libgit2(let operation, let message, _) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(operation == "fetching \(url)")
      #expect(!message.isEmpty)
      #expect(error.description.hasPrefix("fetching \(url): "))
    }
    // What was mirrored before is still readable.
    #expect(try await mirror.resolve("main").id.hex == sample.second)
  }

  @Test func reopeningAMirrorOfAnotherRemoteIsRefused() async throws {
    let sample = try SampleRepository()
    _ = try await GitRepository.mirror(of: sample.bare, in: sample.mirrorDirectory())
    let other = sample.directory.file("other.git").path
    await #expect(
      throws: GitError.mirrorOfDifferentRemote(
        directory: sample.mirrorDirectory(), existing: sample.bare, requested: other)
    ) {
      try await GitRepository.mirror(of: other, in: sample.mirrorDirectory())
    }
  }

  @Test func hugeFileIsFetchedAndReadWhole() async throws {
    let sample = try SampleRepository()
    var bytes = [UInt8](repeating: 0, count: 50 * 1024 * 1024)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for index in stride(from: 0, to: bytes.count, by: 8) {
      // xorshift: incompressible content, so the pack really carries 50 MB.
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      withUnsafeBytes(of: state) { word in
        for offset in 0..<8 { bytes[index + offset] = word[offset] }
      }
    }
    try sample.work.write("assets/huge.bin", Data(bytes))
    let commit = try sample.work.commitAll("Add a 50 MB file")
    try sample.work.push()

    let mirror = try await GitRepository.mirror(
      of: "file://" + sample.bare, in: sample.mirrorDirectory())
    let result = try await mirror.fetch()
    #expect(result.receivedBytes > 50 * 1024 * 1024)
    let read = try await mirror.file("assets/huge.bin", at: try #require(ObjectID(hex: commit)))
    #expect(read.count == bytes.count)
    #expect(read == bytes)
  }

  @Test func defaultMirrorDirectoryIsUnderTheXDGCache() throws {
    let remote = try RemoteURL("https://user:secret@example.test/org/repo.git")
    let directory = GitRepository.defaultMirrorDirectory(for: remote)
    let cache =
      ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
    #expect(directory.hasPrefix(cache + "/tripgen/git/example.test-org-repo-"))
    #expect(!directory.contains("secret"))
    #expect(!directory.contains("user"))
  }
}

@Suite("Mirror directories")
struct MirrorDirectoryTests {
  @Test func aNonEmptyDirectoryThatIsNoRepositoryIsNotTurnedIntoAMirror() async throws {
    let sample = try SampleRepository()
    let directory = sample.mirrorDirectory("occupied")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try "keep me\n".write(toFile: directory + "/notes.txt", atomically: true, encoding: .utf8)
    do {
      _ = try await GitRepository.mirror(of: sample.bare, in: directory)
      Issue.record("a directory holding other files became a mirror")
    } catch {
      guard case .refused = error else {
        Issue.record("unexpected error \(error)")
        return
      }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["notes.txt"])
  }
}
