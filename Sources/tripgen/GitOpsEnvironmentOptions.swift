import ArgumentParser
import Environments
import Foundation
import Git
import GitOps
import Kube

/// What every GitOps command takes: the environment, where its files come from (a Git revision or
/// the working tree), the image digests (looked up by source-addressed tag, or given), and the
/// cluster.
struct GitOpsEnvironmentOptions: ParsableArguments {
  @Option(help: "The environment (a folder under environments/).")
  var env: String

  @Option(
    name: .customLong("repo"),
    help: ArgumentHelp("The local checkout holding environments/.", valueName: "path"))
  var repository = "."

  @Option(help: "The Git revision to render (branch, tag or commit; default: HEAD).")
  var revision: String?

  @Flag(help: "Render the working tree's files as they are, uncommitted changes included.")
  var local = false

  @Option(
    name: .customLong("image"),
    help: ArgumentHelp(
      "Pin an image: NAME=[REGISTRY/]REPOSITORY[:TAG]@sha256:... (repeatable).",
      discussion: """
        Other images are bound to their source-addressed tag at the revision and to the digest \
        the environment's registry (or OCI layout) has for it; an image not built yet is \
        reported as waiting for its image.
        """))
  var images: [String] = []

  @Flag(
    help: ArgumentHelp(
      "Do not ask the registry for digests: images not given with --image are bound by tag.",
      discussion: "For a registry that cannot be reached; such images wait for their image."))
  var offline = false

  @Option(help: "Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).")
  var kubeconfig: String?

  @Option(help: "The kubeconfig context (default: the environment's spec.cluster.context).")
  var context: String?

  func validate() throws {
    if local && revision != nil { throw ValidationError("give --revision or --local, not both") }
    for image in images where FixedImageBindings.parse(image) == nil {
      throw ValidationError(
        "--image \(image): expected NAME=[REGISTRY/]REPOSITORY[:TAG]@sha256:<64 hex digits>")
    }
  }

  /// The bindings named on the command line.
  var bindings: [ImageBinding] { images.compactMap(FixedImageBindings.parse) }

  /// Renders the environment (off the cooperative pool: file reads and rendering block). Images are
  /// bound as `given` (a history entry's, for a rollback), else by `ResolvedImageBindings`.
  /// `whenRegistryFails` gives the bindings to use when the registry cannot be asked (see
  /// ``ResolvedImageBindings``).
  func desiredState(
    revision override: String? = nil, images given: [ImageBinding]? = nil,
    whenRegistryFails: (@Sendable (Environment, String) async throws -> [ImageBinding])? = nil
  ) async throws -> DesiredState {
    let repository = try await GitRepository.open(at: self.repository)
    let provider: any ImageBindingProvider =
      given.map { FixedImageBindings($0) }
      ?? ResolvedImageBindings(
        repository: repository, root: self.repository, overrides: bindings, offline: offline,
        whenRegistryFails: whenRegistryFails)
    let loader = DesiredStateLoader(images: provider)
    if local && override == nil {
      let files = DirectorySourceFiles(root: self.repository)
      return try await Task.detached {
        try await loader.load(environment: env, files: files, revision: "working-tree")
      }.value
    }
    return try await loader.load(
      environment: env, repository: repository, revision: override ?? revision ?? "HEAD")
  }

  /// The engine on the environment's cluster (the options override its context).
  func engine(for environment: Environment) throws -> GitOpsEngine {
    var configuration = try KubeClientConfiguration.load(
      kubeconfig: kubeconfig, context: context ?? environment.spec.cluster.context)
    // A sync dry-runs and lists every object: client-go's 5 requests per second would make a
    // 60-object plan take 12 s. Argo CD's controller allows 50 per second, bursts of 100.
    configuration.queriesPerSecond = 50
    configuration.burst = 100
    return GitOpsEngine(
      client: KubeClient(configuration: configuration, transport: KubeHTTPTransport()))
  }
}

/// `--output`: a table for people, JSON or YAML for scripts.
enum GitOpsOutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, yaml
}
