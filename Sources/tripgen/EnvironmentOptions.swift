import ArgumentParser
import Environments
import Foundation
import Git

/// `--env NAME` and `--repo PATH`: which environment, read from which local checkout.
struct EnvironmentOptions: ParsableArguments {
  @Option(name: .customLong("env"), help: "The environment: a folder under environments/.")
  var name: String

  @Option(
    name: .customLong("repo"),
    help: ArgumentHelp(
      "The local checkout holding environments/ (default: the current directory).",
      valueName: "path"))
  var repo: String?

  /// `--repository`, the old spelling of `--repo`.
  @Option(name: .customLong("repository"), help: .hidden)
  var oldRepository: String?

  /// The repository's root directory.
  var root: String { repo ?? oldRepository ?? "." }

  func validate() throws {
    try OldSpelling.check(
      "--repository", given: oldRepository != nil, new: "--repo", newGiven: repo != nil)
  }

  /// The repository, opened in place.
  func repository() async throws -> GitRepository {
    do {
      return try await GitRepository.open(at: root)
    } catch .repositoryNotFound {
      throw ValidationError(
        "\(root) is not the root of a Git repository: image tags come from the Git tree, so run "
          + "this in the repository's top directory or give --repo")
    }
  }
}

/// `--kubeconfig` and `--context` of a command on an environment's cluster: without `--context`,
/// the environment's `spec.cluster.context`.
struct EnvironmentClusterOptions: ParsableArguments {
  @Option(help: "Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).")
  var kubeconfig: String?

  @Option(help: "The kubeconfig context (default: the environment's spec.cluster.context).")
  var context: String?
}

/// An environment read at one revision: its files, the commit its image tags come from, and the
/// environment file itself.
struct EnvironmentRevision {
  var environment: Environment
  var files: any SourceFiles
  var repository: GitRepository
  /// The commit the images' source-addressed tags are computed at: `--revision`, or HEAD for the
  /// working tree.
  var commit: ObjectID
  /// The working tree (uncommitted files count) rather than a commit's tree.
  var isWorkingTree: Bool
  /// `working tree (HEAD abc1234)` or the commit id.
  var label: String

  /// Reads `options`' environment from the working tree (no `revision`) or from a commit of the
  /// repository (`revision`: a branch, tag or commit id).
  static func load(_ options: EnvironmentOptions, revision: String?) async throws
    -> EnvironmentRevision
  {
    let repository = try await options.repository()
    if let revision {
      let commit = try await repository.resolve(revision)
      let tree = try await repository.subtree("", at: commit.id)
      let environment = try EnvironmentLoader.load(name: options.name, from: tree)
      return EnvironmentRevision(
        environment: environment, files: tree, repository: repository, commit: commit.id,
        isWorkingTree: false, label: commit.id.hex)
    }
    let head = try await repository.resolve("HEAD")
    let files = DirectorySourceFiles(root: options.root)
    let environment = try EnvironmentLoader.load(name: options.name, from: files)
    return EnvironmentRevision(
      environment: environment, files: files, repository: repository, commit: head.id,
      isWorkingTree: true, label: "working tree (HEAD \(head.id.short))")
  }

  /// Where this environment's image digests are looked up: its registry (with the credentials the
  /// environment and `~/.docker/config.json` give), or its OCI layout under the repository root.
  func digestLookup(root: String) async throws -> DigestLookup {
    try await .of(environment, root: root)
  }

  /// The image bindings at `commit`, looked up with `lookup`; says on standard error which images
  /// are referenced by tag (not built or pushed yet) and which source paths have uncommitted
  /// changes in the working tree.
  func bindings(lookup: DigestLookup, root: String) async throws -> [ImageBinding] {
    let resolver = ImageResolver(repository: repository, lookup: lookup)
    let bindings = try await resolver.bindings(for: environment, at: commit)
    if isWorkingTree {
      let changes = try await resolver.uncommittedChanges(
        for: environment, at: commit, workingDirectory: root)
      for image in environment.spec.images {
        guard let paths = changes[image.name] else { continue }
        standardError(
          "note: \(image.name): uncommitted changes in \(paths.joined(separator: ", ")); its tag is "
            + "that of HEAD \(commit.short), not of the working tree")
      }
    }
    return bindings
  }
}

/// Writes a line to standard error.
func standardError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
