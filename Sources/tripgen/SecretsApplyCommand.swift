import ArgumentParser
import Checks
import Delivery
import Environments
import Foundation
import Kube
import YAML

/// `tripgen secrets apply --env NAME`: creates or updates, by server-side apply, the Secrets the
/// environment's objects read (found in the rendered objects: every `secretKeyRef`), from
/// `TRIPGEN_SECRET_<SECRET>_<KEY>` environment variables or a local file. Prints the keys it set,
/// never a value.
struct SecretsApplyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract:
      "Create or update the environment's Secrets from environment variables or a local file.",
    discussion: """
      The Secrets and keys are those the environment's rendered objects read (secretKeyRef); a \
      key every reader marks optional may be left out, and a Secret with only optional keys and \
      no values is skipped. Each value comes from the environment variable \
      TRIPGEN_SECRET_<SECRET>_<KEY> (upper case, '-' as '_'; for example \
      TRIPGEN_SECRET_POSTGRESQL_SECRET_PASSWORD), which wins over --from-file: a YAML file \
      (postgresql-secret: {password: ...}) or NAME=VALUE lines with those names. Keep the file \
      out of Git: .gitignore covers environments/*/secrets.yaml, environments/*/secrets.env, \
      *.secrets.yaml and .env. Values are never printed; missing required keys are an error \
      that names them and their variables.
      """)

  @OptionGroup var environment: EnvironmentOptions
  @OptionGroup var connection: EnvironmentClusterOptions

  @Option(name: .customLong("from-file"), help: "A local YAML or NAME=VALUE file of secret values.")
  var file: String?

  @Flag(
    name: .customLong("dry-run"), help: "Ask the server what would change, without changing it.")
  var dryRun = false

  @Option(name: .customLong("field-manager"), help: "The field manager that owns the keys.")
  var fieldManager = "tripgen-secrets"

  func run() async throws {
    let source = try await environment.source()
    let revision = try await environment.resolve(in: source)
    // The chart decides which Secrets and keys exist; images do not matter for that, so any tag
    // renders.
    let delivery = Delivery(source: source, images: FixedImageBindings([], fallbackTag: "secrets"))
    let state = try await delivery.desiredState(of: environment.name, at: revision)
    let loaded = state.environment
    let requirements = SecretRequirements.find(in: state.objects)
    var values =
      try file.map { try SecretValues.read(file: $0, requirements: requirements) } ?? SecretValues()
    values.take(from: ProcessInfo.processInfo.environment, requirements: requirements)

    var missing: [String] = []
    for requirement in requirements {
      for key in requirement.requiredKeys
      where values.value(secret: requirement.name, key: key) == nil {
        missing.append(
          "\(requirement.name).\(key) (\(SecretRequirement.environmentVariable(secret: requirement.name, key: key)))"
        )
      }
    }
    guard missing.isEmpty else {
      throw SecretsError(
        description:
          "missing required secret values: \(missing.joined(separator: ", ")); set the variables or "
          + "give them in --from-file")
    }

    var configuration = try KubeClientConfiguration.load(
      kubeconfig: connection.kubeconfig, context: connection.context ?? loaded.spec.cluster.context)
    configuration.namespace = loaded.spec.namespace
    let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    let namespaceIsNew = try await ensureNamespace(
      loaded.spec.namespace, client: client, values: values)
    for requirement in requirements {
      var data: JSONValue = [:]
      var keys: [String] = []
      for key in requirement.requiredKeys + requirement.optionalKeys {
        if let value = values.value(secret: requirement.name, key: key) {
          data.set([key], .string(Data(value.utf8).base64EncodedString()))
          keys.append(key)
        }
      }
      guard !keys.isEmpty else {
        print(
          "secret/\(requirement.name) skipped: only optional keys (\(requirement.optionalKeys.joined(separator: ", "))), none given"
        )
        continue
      }
      let secret: JSONValue = [
        "apiVersion": "v1", "kind": "Secret",
        "metadata": [
          "name": .string(requirement.name), "namespace": .string(loaded.spec.namespace),
          // Not the environment's tracking marks: a sync must never prune what it did not render.
          "labels": ["tripgen.io/secrets-for": .string(loaded.name)],
        ],
        "type": "Opaque",
        "data": data,
      ]
      // In a namespace that does not exist yet a dry run cannot ask the server: every Secret
      // would be new.
      if dryRun && namespaceIsNew {
        print("secret/\(requirement.name) created (dry run): set \(keys.joined(separator: ", "))")
        continue
      }
      let outcome = try await masking(values, "applying secret \(requirement.name)") {
        try await client.applyAll([secret], fieldManager: fieldManager, force: true, dryRun: dryRun)
      }
      for outcome in outcome {
        print("\(outcome.line): set \(keys.joined(separator: ", "))")
      }
    }
  }

  /// Creates the environment's namespace when it does not exist yet (secrets are often made before
  /// the first sync); returns whether it was missing.
  private func ensureNamespace(_ namespace: String, client: KubeClient, values: SecretValues)
    async throws -> Bool
  {
    try await masking(values, "reading namespace \(namespace)") {
      let resource = try await client.resource(apiVersion: "v1", kind: "Namespace")
      guard try await client.getIfPresent(resource, name: namespace) == nil else { return false }
      if dryRun {
        print("namespace/\(namespace) created (dry run)")
      } else {
        _ = try await client.create(
          ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]],
          fieldManager: fieldManager)
        print("namespace/\(namespace) created")
      }
      return true
    }
  }

  /// Runs `body`; a failure is rethrown with every secret value masked, since a server's message
  /// could quote what it was sent.
  private func masking<T>(
    _ values: SecretValues, _ operation: String, _ body: () async throws -> T
  ) async throws -> T {
    do {
      return try await body()
    } catch {
      var message = "\(error)"
      for value in values.all {
        message = message.replacingOccurrences(of: value, with: "<redacted>")
      }
      throw SecretsError(description: "\(operation): \(message)")
    }
  }
}
