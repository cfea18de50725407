import ArgumentParser
import Foundation
import Pipeline
import Registry

/// `tripgen ci --env NAME`: the CI step. Builds the images whose sources changed, renders the
/// environment with their digests, and shows the plan; `--sync` applies it.
struct CICommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ci",
    abstract: "Build changed images, render the environment, show the plan (the CI step).",
    discussion: """
      One pass, stopping at the first failure: resolve the revision (GITHUB_SHA when set, else \
      HEAD); for each service image compute its source-addressed tag and reuse the image when the \
      registry (or, for --env local, the OCI layout under .tripgen/) has it, else build it and push \
      it; render every chart of the environment with the digests; plan with the GitOps engine \
      (server-side dry runs) against the cluster when it can be reached, else against an empty \
      cluster. With --sync the engine syncs: waves, hooks, prune, health, and a history entry.

      In GitHub Actions (GITHUB_ACTIONS=true) it writes step outputs to $GITHUB_OUTPUT, a job \
      summary to $GITHUB_STEP_SUMMARY, errors as annotations with file and line, and long output \
      in ::group:: sections. Registry credentials: TRIPGEN_REGISTRY_USERNAME and \
      TRIPGEN_REGISTRY_PASSWORD; else, for Azure Container Registry, Entra ID from GitHub's OIDC \
      token (AZURE_CLIENT_ID, AZURE_TENANT_ID, job permission id-token: write) or a workload \
      identity; else ~/.docker/config.json.
      """)

  @Option(name: .customLong("env"), help: "The environment (a folder of environments/).")
  var environment: String

  @Option(
    help: "Only these images, comma-separated (default: all of the environment's).",
    transform: { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } })
  var services: [String]?

  @Flag(inversion: .prefixedNo, help: "Push built images to the registry.")
  var push = true

  @Flag(help: "Sync the environment with the GitOps engine (push-style delivery).")
  var sync = false

  @Option(
    name: .shortAndLong,
    help: "Output format: text (progress and a summary) or json (the report on standard output).")
  var output: OutputFormat = .text

  @Option(help: "The commit to build (default: GITHUB_SHA, else HEAD).")
  var revision: String?

  @Option(
    name: .customLong("repo"),
    help: ArgumentHelp(
      "The local checkout (and package) to build (default: the current directory).",
      valueName: "path"))
  var repo: String?

  /// `--repository`, the old spelling of `--repo`.
  @Option(name: .customLong("repository"), help: .hidden)
  var oldRepository: String?

  @Option(help: "Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).")
  var kubeconfig: String?

  @Option(help: "The kubeconfig context (default: the environment's spec.cluster.context).")
  var context: String?

  @Option(
    name: .customLong("insecure-registry"),
    help: "A registry to reach over plain HTTP (repeatable); loopback always is.")
  var insecureRegistries: [String] = []

  enum OutputFormat: String, ExpressibleByArgument {
    case text
    case json
  }

  /// The repository's root directory.
  var repository: String { repo ?? oldRepository ?? "." }

  func validate() throws {
    try OldSpelling.check(
      "--repository", given: oldRepository != nil, new: "--repo", newGiven: repo != nil)
  }

  func run() async throws {
    let processEnvironment = ProcessInfo.processInfo.environment
    let json = output == .json
    let handle = json ? FileHandle.standardError : FileHandle.standardOutput
    let style = CIConsole.detectStyle(
      environment: processEnvironment, outputIsTerminal: isatty(json ? 2 : 1) == 1)
    let console = CIConsole(style: style) { handle.write(Data($0.utf8)) }
    // Every secret the process could come to print is masked before anything runs.
    for name in [
      "TRIPGEN_REGISTRY_PASSWORD", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "AZURE_ACCESS_TOKEN",
    ] {
      if let secret = processEnvironment[name], !secret.isEmpty { console.masker.register(secret) }
    }
    var credentials: RegistryCredentials?
    if let username = processEnvironment["TRIPGEN_REGISTRY_USERNAME"],
      let password = processEnvironment["TRIPGEN_REGISTRY_PASSWORD"]
    {
      credentials = RegistryCredentials(username: username, password: password)
    }
    let root = URL(fileURLWithPath: repository).standardizedFileURL.path
    let options = CIOptions(
      environment: environment, repositoryPath: root, services: services, push: push, sync: sync,
      revision: revision, registryCredentials: credentials,
      insecureRegistries: Set(insecureRegistries), kubeconfig: kubeconfig, kubeContext: context,
      processEnvironment: processEnvironment)
    let (report, error) = await CIRun(options: options, console: console).run()
    try CISummary.publish(report, environment: processEnvironment, masker: console.masker)
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
    } else if error == nil {
      for line in CIClosingWords.lines(report, repositoryPath: root) { console.line(line) }
    }
    if error != nil { throw ExitCode.failure }
  }
}
