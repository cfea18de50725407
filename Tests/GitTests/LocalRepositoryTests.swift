import Foundation
import TestSupport
import Testing

@testable import Git

@Suite("Reading a local repository in place")
struct LocalRepositoryTests {
  @Test func resolvesBranchesTagsAndIds() async throws {
    let sample = try SampleRepository()
    let repository = try await GitRepository.open(at: sample.work.path)
    #expect(try await repository.resolve("main").id.hex == sample.second)
    #expect(try await repository.resolve("refs/heads/main").id.hex == sample.second)
    #expect(try await repository.resolve("v1").id.hex == sample.first)
    #expect(try await repository.resolve("v1-light").id.hex == sample.first)
    #expect(try await repository.resolve(sample.first).id.hex == sample.first)
    #expect(try await repository.resolve(String(sample.first.prefix(7))).id.hex == sample.first)
    #expect(try await repository.resolve("main~1").id.hex == sample.first)
  }

  @Test func reportsCommitDetails() async throws {
    let sample = try SampleRepository()
    let repository = try await GitRepository.open(at: sample.work.path)
    let commit = try await repository.resolve("v1")
    #expect(commit.author.name == "Ada Tester")
    #expect(commit.author.email == "ada@example.test")
    #expect(commit.message == "First commit\n\nWith a body.\n")
    #expect(commit.summary == "First commit")
    #expect(commit.parents.isEmpty)
    let expectedTime = try sample.work.git("log", "-1", "--format=%at", sample.first)
    #expect(Int(commit.author.time.timeIntervalSince1970) == Int(expectedTime))
    #expect(commit.tree.hex == (try sample.work.git("rev-parse", "\(sample.first)^{tree}")))
    let second = try await repository.resolve("main")
    #expect(second.parents.map(\.hex) == [sample.first])
  }

  @Test func missingBranchIsATypedError() async throws {
    let sample = try SampleRepository()
    let repository = try await GitRepository.open(at: sample.work.path)
    await #expect(
      throws: GitError.referenceNotFound(reference: "no-such-branch", repository: sample.work.path)
    ) {
      try await repository.resolve("no-such-branch")
    }
  }

  @Test func emptyRepositoryIsReportedAsSuch() async throws {
    let directory = try TemporaryDirectory(prefix: "tripgen-git")
    let empty = try GitFixtureRepository(at: directory.file("empty").path)
    let repository = try await GitRepository.open(at: empty.path)
    await #expect(throws: GitError.emptyRepository(repository: empty.path)) {
      try await repository.resolve("main")
    }
  }

  @Test func openingANonRepositoryFails() async throws {
    let directory = try TemporaryDirectory(prefix: "tripgen-git")
    await #expect(throws: GitError.repositoryNotFound(path: directory.path)) {
      try await GitRepository.open(at: directory.path)
    }
  }

  @Test func aRepositoryOpenedInPlaceHasNothingToFetch() async throws {
    let sample = try SampleRepository()
    let repository = try await GitRepository.open(at: sample.work.path)
    await #expect(
      throws: GitError.refused(
        operation: "fetching into \(sample.work.path)",
        reason: "this repository was opened in place, not as a mirror; it has no remote to fetch")
    ) {
      try await repository.fetch()
    }
  }

  @Test func readsFilesDirectoriesAndSubtrees() async throws {
    let sample = try SampleRepository()
    let repository = try await GitRepository.open(at: sample.work.path)
    let first = try #require(ObjectID(hex: sample.first))
    let second = try #require(ObjectID(hex: sample.second))

    let values = try await repository.file("charts/app/values.yaml", at: second)
    #expect(String(decoding: values, as: UTF8.self) == "replicas: 3\n")
    let oldValues = try await repository.file("/charts/app/values.yaml", at: first)
    #expect(String(decoding: oldValues, as: UTF8.self) == "replicas: 1\n")
    let unusual = try await repository.file(SampleRepository.unusualPath, at: second)
    #expect(String(decoding: unusual, as: UTF8.self) == "unusual\n")

    let root = try await repository.directory("", at: first)
    let kinds = Dictionary(uniqueKeysWithValues: root.map { ($0.name, $0.kind) })
    #expect(
      kinds == [
        "README.md": .file, "bin": .directory, "charts": .directory, "dir with space": .directory,
        "link": .symlink,
      ])
    let bin = try await repository.directory("bin", at: first)
    #expect(bin.map(\.path) == ["bin/run.sh"])
    #expect(bin.first?.kind == .executable)

    let chart = try await repository.subtree("charts/app", at: second)
    #expect(chart.paths == ["Chart.yaml", "templates/deploy.yaml", "values.yaml"])
    #expect(chart.text("templates/deploy.yaml") == SampleRepository.deploymentYAML)
    let whole = try await repository.subtree("", at: first)
    #expect(whole.symlinks == ["link": "README.md"])
    #expect(whole.text(SampleRepository.unusualPath) == "unusual\n")
    #expect(
      whole.subtree("charts/app").paths == [
        "Chart.yaml", "templates/deployment.yaml", "values.yaml",
      ])
  }

  @Test func wrongPathsAreTypedErrors() async throws {
    let sample = try SampleRepository()
    let repository = try await GitRepository.open(at: sample.work.path)
    let second = try #require(ObjectID(hex: sample.second))
    await #expect(throws: GitError.pathNotFound(path: "nope.txt", commit: sample.second)) {
      try await repository.file("nope.txt", at: second)
    }
    await #expect(
      throws: GitError.wrongObjectKind(
        path: "charts", commit: sample.second, expected: "file", actual: "directory")
    ) {
      try await repository.file("charts", at: second)
    }
    await #expect(
      throws: GitError.wrongObjectKind(
        path: "README.md", commit: sample.second, expected: "directory", actual: "file")
    ) {
      try await repository.subtree("README.md", at: second)
    }
  }

  @Test func treeIDsMatchGitRevParse() async throws {
    let sample = try SampleRepository()
    let repository = try await GitRepository.open(at: sample.work.path)
    let second = try #require(ObjectID(hex: sample.second))
    for path in [
      "charts", "charts/app", "charts/app/templates", "services/api", "README.md",
      SampleRepository.unusualPath,
    ] {
      let expected = try sample.work.git("rev-parse", "\(sample.second):\(path)")
      #expect(try await repository.objectID(at: path, in: second).hex == expected, "\(path)")
    }
    let root = try sample.work.git("rev-parse", "\(sample.second)^{tree}")
    #expect(try await repository.objectID(at: "", in: second).hex == root)
  }

  @Test func changedPathsReportRenamesWithBothPaths() async throws {
    let sample = try SampleRepository()
    let repository = try await GitRepository.open(at: sample.work.path)
    let first = try #require(ObjectID(hex: sample.first))
    let second = try #require(ObjectID(hex: sample.second))
    let changes = try await repository.changedPaths(from: first, to: second)
    #expect(
      Set(changes) == [
        ChangedPath(status: .deleted, oldPath: "bin/run.sh", newPath: nil),
        ChangedPath(
          status: .modified, oldPath: "charts/app/values.yaml", newPath: "charts/app/values.yaml"),
        ChangedPath(
          status: .renamed, oldPath: "charts/app/templates/deployment.yaml",
          newPath: "charts/app/templates/deploy.yaml"),
        ChangedPath(status: .added, oldPath: nil, newPath: "services/api/main.swift"),
      ])
    #expect(try await repository.changedPaths(from: second, to: second).isEmpty)
  }
}
