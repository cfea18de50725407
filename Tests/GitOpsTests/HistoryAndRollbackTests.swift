import Delivery
import Environments
import Foundation
import Git
import GitOps
import Kube
import Testing
import YAML

/// The history kept in the cluster, and rolling back to an entry of it.
@Suite struct HistoryAndRollbackTests {
  @Test func syncsAreRecordedAndARollbackRestoresTheRevisionAndItsDigests() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    fixture.controllers.start()
    let first = try fixture.repository.git("rev-parse", "HEAD")
    _ = try await fixture.engine.sync(try await fixture.desired(), options: GitOpsFixture.options())

    try fixture.repository.write("environments/test/values.yaml", "greeting: second\n")
    let second = try fixture.repository.commitAll("second")
    let newDigest = "sha256:" + String(repeating: "cd", count: 32)
    _ = try await fixture.engine.sync(
      try await fixture.desired(digest: newDigest), options: GitOpsFixture.options())

    let history = fixture.engine.history(of: try await fixture.desired().environment)
    let entries = try await history.entries()
    #expect(entries.map(\.id) == [1, 2])
    #expect(entries.map(\.revision) == [first, second])
    #expect(entries.map { $0.images.first?.digest } == [GitOpsFixture.digest, newDigest])
    #expect(entries.allSatisfy { $0.result == "Succeeded" && $0.trigger == "test" })
    #expect(entries[0].startedAt <= entries[0].finishedAt)

    // Roll back to the previous entry: its revision, rendered with its recorded digests.
    let target = try await Rollback.target(id: nil, history: history)
    #expect(target.id == 1)
    let source = EnvironmentSource(
      repository: try await GitRepository.open(at: fixture.repository.path), workingTree: nil)
    let desired = try await Delivery(source: source, images: FixedImageBindings(target.images))
      .desiredState(of: "test", at: try await source.revision(target.revision))
    var options = GitOpsFixture.options()
    options.trigger = "rollback to #1"
    let result = try await fixture.engine.sync(desired, options: options)
    #expect(
      Set(result.applied.map(\.description)) == [
        "/ConfigMap:app-test/settings", "apps/Deployment:app-test/web",
      ])
    #expect(
      fixture.object("v1", "ConfigMap", "settings")?["data"]?["greeting"]?.stringValue == "hello")
    #expect(
      fixture.object("apps/v1", "Deployment", "web")?["spec"]?["template"]?["spec"]?[
        "containers"]?[0]?["image"]?.stringValue == "registry.test:5000/web@\(GitOpsFixture.digest)"
    )
    let after = try await history.entries()
    #expect(after.last?.trigger == "rollback to #1")
    #expect(after.last?.revision == first)
  }

  @Test func theHistoryKeepsTheLastTenSyncs() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    let history = fixture.engine.history(of: try await fixture.desired().environment)
    for index in 1...12 {
      try await history.record(
        revision: "r\(index)", images: [], result: "Succeeded", message: nil, startedAt: Date(),
        finishedAt: Date(), trigger: "test")
    }
    let entries = try await history.entries()
    #expect(entries.map(\.id) == Array(3...12))
    // Readable by any machine: plain JSON in a ConfigMap.
    let stored = try #require(fixture.object("v1", "ConfigMap", "tripgen-history-test"))
    #expect(stored["data"]?["history.json"]?.stringValue?.contains("\"revision\":\"r12\"") == true)
  }

  @Test func concurrentRecordsLoseNothing() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    let history = fixture.engine.history(of: try await fixture.desired().environment)
    try await withThrowingTaskGroup(of: Int.self) { group in
      for index in 1...4 {
        group.addTask {
          try await history.record(
            revision: "r\(index)", images: [], result: "Succeeded", message: nil,
            startedAt: Date(), finishedAt: Date(), trigger: "writer \(index)")
        }
      }
      var ids: [Int] = []
      for try await id in group { ids.append(id) }
      #expect(ids.sorted() == [1, 2, 3, 4])
    }
    let entries = try await history.entries()
    #expect(entries.map(\.id) == [1, 2, 3, 4])
    #expect(Set(entries.map(\.revision)) == ["r1", "r2", "r3", "r4"])
  }

  @Test func anUnknownEntryNamesTheKnownOnes() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    let history = fixture.engine.history(of: try await fixture.desired().environment)
    try await history.record(
      revision: "r1", images: [], result: "Succeeded", message: nil, startedAt: Date(),
      finishedAt: Date(), trigger: "test")
    await #expect {
      try await history.entry(7)
    } throws: { "\($0)".contains("no sync #7") && "\($0)".contains("#1") }
    await #expect {
      try await Rollback.target(id: nil, history: history)
    } throws: { "\($0)".contains("tripgen rollback ID") }
  }

  @Test func aWorkingTreeSyncIsNeverRolledBackTo() async throws {
    let fixture = try await GitOpsFixture(withHook: false)
    defer { Task { await fixture.stop() } }
    let history = fixture.engine.history(of: try await fixture.desired().environment)
    for revision in ["r1", Revision.workingTreeName, "r3"] {
      try await history.record(
        revision: revision, images: [], result: "Succeeded", message: nil, startedAt: Date(),
        finishedAt: Date(), trigger: "test")
    }
    // Without an id, the working tree's entry (#2) is passed over for the commit before it.
    #expect(try await Rollback.target(id: nil, history: history).id == 1)
    await #expect {
      try await Rollback.target(id: 2, history: history)
    } throws: {
      "\($0)".contains("sync #2 of environment test applied a working tree")
        && "\($0)".contains("not a commit")
    }
  }
}
