import ArgumentParser
import Foundation
import Kube
import YAML

/// `tripgen kube`: the Kubernetes API without kubectl.
struct KubeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kube",
    abstract: "Apply, get and delete Kubernetes objects through the API (no kubectl).",
    subcommands: [KubeApplyCommand.self, KubeGetCommand.self, KubeDeleteCommand.self])
}

/// Where the cluster is: `--kubeconfig` and `--context`, else KUBECONFIG, ~/.kube/config or the
/// in-cluster service account.
struct KubeConnectionOptions: ParsableArguments {
  @Option(help: "Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).")
  var kubeconfig: String?

  @Option(help: "The kubeconfig context (default: its current-context).")
  var context: String?

  func client() throws -> KubeClient {
    KubeClient(
      configuration: try KubeClientConfiguration.load(kubeconfig: kubeconfig, context: context),
      transport: KubeHTTPTransport())
  }
}
