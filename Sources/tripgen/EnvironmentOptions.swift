import ArgumentParser
import Delivery
import Environments
import Foundation
import Git

/// Which environment, read from which revision: what every verb that reads an environment takes,
/// with one rule for all of them. A commit is read (HEAD unless `--revision` names another);
/// `--local` reads the working tree instead, uncommitted changes included. Reading a commit while
/// the environment's files have uncommitted edits says so on standard error.
struct EnvironmentOptions: ParsableArguments {
  @Option(name: .customLong("env"), help: "The environment (a folder under environments/).")
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

  @Option(help: "The Git revision to read (branch, tag or commit; default: HEAD).")
  var revision: String?

  @Flag(help: "Read the working tree's files as they are, uncommitted changes included.")
  var local = false

  func validate() throws {
    if local && revision != nil { throw ValidationError("give --revision or --local, not both") }
    try OldSpelling.check(
      "--repository", given: oldRepository != nil, new: "--repo", newGiven: repo != nil)
  }

  /// The repository at `--repo`.
  func source() async throws -> EnvironmentSource {
    try await EnvironmentSource.open(at: root)
  }

  /// The revision to read (`override` wins: a rollback's recorded commit). Reading a commit
  /// while the environment's files have uncommitted edits is said on standard error, once.
  func resolve(in source: EnvironmentSource, override: String? = nil) async throws -> Revision {
    let revision = try await source.revision(override ?? revision, local: local && override == nil)
    if override == nil, self.revision == nil, !revision.isWorkingTree {
      let changed = try await source.uncommittedChanges(of: name, at: revision)
      if !changed.isEmpty {
        standardError(
          "note: reading HEAD \(revision.tagCommit.short); uncommitted changes to "
            + "\(changed.prefix(5).joined(separator: ", "))\(changed.count > 5 ? ", ..." : "") "
            + "are not included (--local reads the working tree)")
      }
    }
    return revision
  }
}

/// How images are bound: by the digest the environment's registry (or OCI layout) has for each
/// image's source-addressed tag at the revision, unless pinned or offline.
struct ImageOptions: ParsableArguments {
  @Option(
    name: .customLong("image"),
    help: ArgumentHelp(
      "Pin an image: NAME=[REGISTRY/]REPOSITORY[:TAG]@sha256:... (repeatable).",
      discussion: """
        Other images are bound to their source-addressed tag at the revision and to the digest \
        the environment's registry (or OCI layout) has for it; an image not built yet is \
        referenced by tag and reported as waiting for its image.
        """))
  var images: [String] = []

  @Flag(
    help: ArgumentHelp(
      "Do not ask the registry for digests: images not given with --image are bound by tag.",
      discussion: "For a registry that cannot be reached; such images wait for their image."))
  var offline = false

  func validate() throws {
    for image in images where FixedImageBindings.parse(image) == nil {
      throw ValidationError(
        "--image \(image): expected NAME=[REGISTRY/]REPOSITORY[:TAG]@sha256:<64 hex digits>")
    }
  }

  /// The bindings of the environment's images, looked up in its image store found from
  /// `source`'s working tree.
  func provider(
    for source: EnvironmentSource,
    whenStoreFails: (@Sendable (Environment, String) async throws -> [ImageBinding])? = nil
  ) -> StoreImageBindings {
    StoreImageBindings(
      repository: source.repository, stores: ImageStores(root: source.workingTree),
      overrides: images.compactMap(FixedImageBindings.parse), offline: offline,
      whenStoreFails: whenStoreFails)
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

/// Writes a line to standard error.
func standardError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
