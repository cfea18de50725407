import ArgumentParser
import Kube
import YAML

/// `tripgen kube get KIND [NAME]`.
struct KubeGetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get",
    abstract: "Show objects of a kind (deploy, deployments.apps, Deployment...).")

  @OptionGroup var connection: KubeConnectionOptions

  @Argument(help: "The kind: a resource name, short name or kind, optionally with its group.")
  var kind: String

  @Argument(help: "The object's name; all objects when omitted.")
  var name: String?

  @Option(name: .shortAndLong, help: "The namespace (default: the context's).")
  var namespace: String?

  @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "List every namespace.")
  var allNamespaces = false

  @Option(name: .shortAndLong, help: "Output format: yaml, json or name (default: a table).")
  var output: String?

  @Option(name: [.customShort("l"), .customLong("selector")], help: "Label selector.")
  var selector: String?

  func validate() throws {
    if let output, !["yaml", "json", "name"].contains(output) {
      throw ValidationError("--output must be yaml, json or name, not \(output)")
    }
  }

  func run() async throws {
    let client = try connection.client()
    let resource = try await client.resource(named: kind)
    let objects: [JSONValue]
    if let name {
      objects = [try await client.get(resource, namespace: namespace, name: name)]
    } else {
      objects = try await client.listAll(
        resource, namespace: namespace, allNamespaces: allNamespaces, labelSelector: selector
      ).items
    }
    switch output {
    case "yaml": print(KubeObjectPrinter.yaml(objects, single: name != nil), terminator: "")
    case "json": print(KubeObjectPrinter.json(objects, single: name != nil), terminator: "")
    case "name": print(KubeObjectPrinter.names(objects, resource: resource), terminator: "")
    default:
      if objects.isEmpty {
        print("No resources found")
      } else {
        print(
          KubeObjectPrinter.table(objects, withNamespace: allNamespaces && resource.namespaced),
          terminator: "")
      }
    }
  }
}
