import ArgumentParser
import Environments
import Foundation
import Git
import GitOps
import Kube

/// What every GitOps command takes: the environment, where its files come from (a Git revision or
/// the working tree), the image digests, and the cluster.
struct GitOpsEnvironmentOptions: ParsableArguments {
  @Option(help: "The environment (a folder under environments/).")
  var env: String

  @Option(name: .customLong("repo"), help: "The repository root (default: the current directory).")
  var repository = "."

  @Option(help: "The Git revision to render (branch, tag or commit; default: HEAD).")
  var revision: String?

  @Flag(help: "Render the working tree's files as they are, uncommitted changes included.")
  var local = false

  @Option(
    name: .customLong("image"),
    help: ArgumentHelp(
      "An image digest: NAME=[REGISTRY/]REPOSITORY[:TAG]@sha256:... (repeatable).",
      discussion: "Images without one are reported as waiting for their image."))
  var images: [String] = []

  @Option(help: "Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).")
  var kubeconfig: String?

  @Option(help: "The kubeconfig context (default: the environment's cluster.context).")
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

  /// Renders the environment (off the cooperative pool: file reads and rendering block).
  func desiredState(revision override: String? = nil, images given: [ImageBinding]? = nil)
    async throws -> DesiredState
  {
    let loader = DesiredStateLoader(images: FixedImageBindings(given ?? bindings))
    if local && override == nil {
      let files = DirectorySourceFiles(root: repository)
      return try await Task.detached {
        try await loader.load(environment: env, files: files, revision: "working-tree")
      }.value
    }
    let repository = try await GitRepository.open(at: self.repository)
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
