import ArgumentParser
import Kube

/// `tripgen kube delete KIND NAME`.
struct KubeDeleteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete one object.")

  @OptionGroup var connection: KubeConnectionOptions

  @Argument(help: "The kind: a resource name, short name or kind, optionally with its group.")
  var kind: String

  @Argument(help: "The object's name.")
  var name: String

  @Option(name: .shortAndLong, help: "The namespace (default: the context's).")
  var namespace: String?

  @Option(help: "What happens to dependents: background, foreground or orphan.")
  var cascade = "background"

  @Flag(name: .customLong("dry-run"), help: "Ask the server, without deleting.")
  var dryRun = false

  func run() async throws {
    guard
      let policy = KubePropagationPolicy(
        rawValue: cascade.prefix(1).uppercased() + cascade.dropFirst())
    else { throw ValidationError("--cascade must be background, foreground or orphan") }
    let client = try connection.client()
    let resource = try await client.resource(named: kind)
    try await client.delete(
      resource, namespace: namespace, name: name, propagationPolicy: policy, dryRun: dryRun)
    print("\(resource.kubectlTypeName) \"\(name)\" deleted\(dryRun ? " (server dry run)" : "")")
  }
}
