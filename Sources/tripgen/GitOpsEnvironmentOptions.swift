import ArgumentParser
import Delivery
import Environments
import Foundation
import GitOps
import Kube

/// What every verb that compares with or writes to a cluster takes: the environment at a
/// revision, its images, and the cluster.
struct GitOpsEnvironmentOptions: ParsableArguments {
  @OptionGroup var environment: EnvironmentOptions
  @OptionGroup var images: ImageOptions

  @OptionGroup var cluster: EnvironmentClusterOptions

  /// The environment rendered through ``Delivery``, images bound as `given` (a history entry's,
  /// for a rollback) or looked up (`whenStoreFails` gives the bindings to use when the registry
  /// cannot be asked; see ``StoreImageBindings``).
  func desiredState(
    revision override: String? = nil, images given: [ImageBinding]? = nil,
    whenStoreFails: (@Sendable (Environment, String) async throws -> [ImageBinding])? = nil
  ) async throws -> DesiredState {
    let source = try await environment.source()
    let revision = try await environment.resolve(in: source, override: override)
    let provider: any ImageBindingProvider =
      given.map { FixedImageBindings($0) }
      ?? images.provider(for: source, whenStoreFails: whenStoreFails)
    return try await Delivery(source: source, images: provider).desiredState(
      of: environment.name, at: revision)
  }

  /// The environment file as the working tree has it: enough for verbs that need only its
  /// namespace and cluster (history, a rollback whose current revision may be the broken one).
  func environmentFile() throws -> Environment {
    try EnvironmentLoader.load(
      name: environment.name, from: DirectorySourceFiles(root: environment.root))
  }

  /// The engine on the environment's cluster (the options override its context).
  func engine(for environment: Environment) throws -> GitOpsEngine {
    var configuration = try KubeClientConfiguration.load(
      kubeconfig: cluster.kubeconfig, context: cluster.context ?? environment.spec.cluster.context)
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
