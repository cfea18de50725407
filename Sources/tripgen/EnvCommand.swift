import ArgumentParser
import Controller
import Delivery
import Environments
import Foundation
import Kube

/// `tripgen env`: day-to-day operations on a running environment.
struct EnvCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "env",
    abstract:
      "Sleep or wake an environment (Deployments at zero), or print the schema of its file.",
    subcommands: [EnvSleepCommand.self, EnvWakeCommand.self, EnvSchemaCommand.self])
}

/// What `env sleep` and `env wake` share: the environment (read as every verb reads it) and the
/// cluster.
struct EnvTargetOptions: ParsableArguments {
  @OptionGroup var environment: EnvironmentOptions

  /// `--path`, the old spelling of `--repo`.
  @Option(name: .customLong("path"), help: .hidden)
  var oldPath: String?

  @OptionGroup var cluster: EnvironmentClusterOptions

  /// The repository's root directory.
  var root: String { oldPath ?? environment.root }

  func validate() throws {
    try OldSpelling.check(
      "--path", given: oldPath != nil, new: "--repo", newGiven: environment.repo != nil)
  }

  /// The sleeper for the environment as its file reads at the revision.
  func sleeper() async throws -> EnvironmentSleeper {
    var options = environment
    options.repo = root
    let source = try await options.source()
    let revision = try await options.resolve(in: source)
    let loaded = try await source.files(of: options.name, at: revision).environment
    let configuration = try KubeClientConfiguration.load(
      kubeconfig: cluster.kubeconfig, context: cluster.context ?? loaded.spec.cluster.context)
    return EnvironmentSleeper(
      client: KubeClient(configuration: configuration, transport: KubeHTTPTransport()),
      environment: loaded.name, namespace: loaded.spec.namespace)
  }
}

/// `tripgen env sleep --env dev`.
struct EnvSleepCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sleep",
    abstract: "Scale the environment's Deployments to zero (StatefulSets keep running).",
    discussion: """
      The replicas are remembered in the ConfigMap tripgen-sleep-<env>, which the controller \
      reads before every sync, so self-heal keeps the environment asleep until `tripgen env wake` \
      or the schedule's next wake time.
      """)

  @OptionGroup var target: EnvTargetOptions

  func run() async throws {
    let sleeper = try await target.sleeper()
    let changes = try await sleeper.sleep()
    report(changes, verb: "scaled to 0", environment: sleeper.environment)
  }
}

/// `tripgen env wake --env dev`.
struct EnvWakeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "wake",
    abstract: "Scale the environment's Deployments back to their replicas before sleep.")

  @OptionGroup var target: EnvTargetOptions

  func run() async throws {
    let sleeper = try await target.sleeper()
    let changes = try await sleeper.wake()
    report(changes, verb: "scaled up", environment: sleeper.environment)
  }
}

private func report(_ changes: EnvironmentSleeper.Changes, verb: String, environment: String) {
  if changes.isEmpty {
    print("environment \(environment): no Deployment to change")
    return
  }
  for (name, replicas) in changes.sorted(by: { $0.key < $1.key }) {
    print("deployment.apps/\(name) \(verb) (replicas \(replicas))")
  }
}

/// `tripgen env schema`: the JSON Schema of environment.yaml, for editors and other tools.
struct EnvSchemaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema",
    abstract: "Print the JSON Schema (draft-07) of environments/<name>/environment.yaml.")

  func run() {
    print(EnvironmentSchema.json)
  }
}
