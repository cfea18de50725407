import Foundation
import TestSupport
import Testing

@testable import Git

@Suite("Watching a branch for new revisions")
struct RevisionWatcherTests {
  @Test func yieldsTheCurrentTipThenANewCommit() async throws {
    let sample = try SampleRepository()
    let mirror = try await GitRepository.mirror(of: sample.bare, in: sample.mirrorDirectory())
    let watcher = RevisionWatcher(repository: mirror, branch: "main", interval: .milliseconds(100))
    var revisions = await watcher.revisions().makeAsyncIterator()

    let initial = try #require(await revisions.next())
    #expect(initial.commit.id.hex == sample.second)
    #expect(initial.branch == "main")

    try sample.work.write("charts/app/values.yaml", "replicas: 7\n")
    let third = try sample.work.commitAll("Scale to seven")
    try sample.work.push()
    let next = try #require(await revisions.next())
    #expect(next.commit.id.hex == third)
    #expect(next.commit.summary == "Scale to seven")
    #expect(!next.isRewrite)
  }

  @Test func reportsAForcePushAsARewrite() async throws {
    let sample = try SampleRepository()
    let mirror = try await GitRepository.mirror(of: sample.bare, in: sample.mirrorDirectory())
    let watcher = RevisionWatcher(repository: mirror, branch: "main", interval: .seconds(3600))
    #expect(try await watcher.refresh().commit.id.hex == sample.second)
    try sample.work.git("reset", "--quiet", "--hard", sample.first)
    let rewritten = try sample.work.commitAll("Rewritten")
    try sample.work.push()
    let revision = try await watcher.refresh()
    #expect(revision.commit.id.hex == rewritten)
    #expect(revision.isRewrite)
  }

  @Test func concurrentRefreshesFetchOnce() async throws {
    let sample = try SampleRepository()
    let mirror = try await GitRepository.mirror(of: sample.bare, in: sample.mirrorDirectory())
    let watcher = RevisionWatcher(repository: mirror, branch: "main", interval: .seconds(3600))
    async let first = watcher.refresh()
    async let second = watcher.refresh()
    let (a, b) = try await (first, second)
    #expect(a == b)
    #expect(await watcher.fetchCount == 1)
    // Once that fetch is over, a refresh fetches again.
    try await watcher.refresh()
    #expect(await watcher.fetchCount == 2)
  }

  @Test func aMissingBranchFailsTheRefreshAndIsRemembered() async throws {
    let sample = try SampleRepository()
    let mirror = try await GitRepository.mirror(of: sample.bare, in: sample.mirrorDirectory())
    let watcher = RevisionWatcher(repository: mirror, branch: "nope", interval: .seconds(3600))
    await #expect(
      throws: GitError.referenceNotFound(reference: "refs/heads/nope", repository: sample.bare)
    ) {
      try await watcher.refresh()
    }
    #expect(await watcher.lastError != nil)
  }
}
