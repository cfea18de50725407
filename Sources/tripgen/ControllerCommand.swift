import ArgumentParser
import Controller
import Dispatch
import Foundation
import Git
import GitOps
import JSONLogging
import Kube
import Logging

/// `tripgen controller`: the in-cluster controller.
struct ControllerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "controller",
    abstract:
      "Keep environments equal to Git, in the cluster (poll + webhook, self-heal, schedule).",
    discussion: """
      Watches the branch (polling at the environment's spec.source.interval, with jitter, and at \
      once on a GitHub push webhook at POST /api/webhook), syncs each new revision, reverts drift \
      when self-heal is on, scales Deployments to zero on the environment's schedule, and serves \
      /healthz, /readyz, /metrics, a status page at / and a JSON API under /api/v1/.

      Two replicas are safe: a coordination.k8s.io Lease elects the one that syncs. SIGTERM stops \
      between two applies, releases the lease and exits.

      Inside a pod the service account is used; elsewhere --kubeconfig/--context (or KUBECONFIG).
      """)

  @Option(name: .customLong("env"), help: "An environment to keep in sync (repeatable).")
  var environments: [String]

  @Option(
    name: .customLong("repo-url"),
    help: ArgumentHelp(
      "The remote Git repository holding environments/, by URL (required).",
      valueName: "url"))
  var repoURL: String?

  /// `--repo`, the old spelling of `--repo-url` (every other verb's `--repo` is a local checkout).
  @Option(name: .customLong("repo"), help: .hidden)
  var oldRepo: String?

  /// The repository's URL (`validate()` makes sure one of the spellings was given).
  var repository: String { repoURL ?? oldRepo ?? "" }

  @Option(help: "The branch to watch.")
  var branch = "main"

  @Option(help: "The user name for HTTPS Git (any name works with a GitHub token).")
  var gitUsername: String?

  @Option(help: "A file holding the HTTPS Git token or password (a mounted Secret).")
  var gitTokenFile: String?

  @Option(help: "A private key file for SSH Git.")
  var gitSSHKey: String?

  @Option(help: "The known_hosts file SSH host keys are checked against.")
  var gitKnownHosts: String?

  @Option(help: "A PEM file of CA certificates for HTTPS Git.")
  var gitCAFile: String?

  @Option(help: "The directory of the Git mirror (default: the user's cache directory).")
  var mirrorDir: String?

  @Option(help: "A file holding the GitHub webhook secret (without it, webhooks are refused).")
  var webhookSecretFile: String?

  @Option(help: "A file holding the bearer token for write actions (without it, they are off).")
  var apiTokenFile: String?

  @Option(help: "The address to listen on.")
  var address = "0.0.0.0"

  @Option(help: "The port to listen on.")
  var port = 8080

  @Option(help: "The namespace of the leader Lease (default: the client's namespace).")
  var leaseNamespace: String?

  @Flag(help: "Run without leader election (one replica only).")
  var noLeaderElection = false

  @Option(help: "This replica's name (default: POD_NAME, then the host name).")
  var identity: String?

  @Option(help: "Poll every this many seconds instead of each environment's interval.")
  var pollSeconds: Double?

  @Option(
    help: "Seconds to finish after SIGTERM before exiting anyway (below the pod's grace period).")
  var shutdownTimeout: Double = 25

  @Option(
    help:
      "Path to the kubeconfig file (default: the service account inside a pod, else KUBECONFIG, then ~/.kube/config)."
  )
  var kubeconfig: String?

  @Option(help: "The kubeconfig context (default: its current-context).")
  var context: String?

  @Option(
    help:
      "Kubernetes API requests per second (Argo CD's controller default; client-go's 5 throttles syncs)."
  )
  var kubeQPS: Double = 50

  @Option(help: "Kubernetes API requests allowed in a burst above the rate.")
  var kubeBurst = 100

  @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
  var logLevel = "info"

  @Option(help: "Log format: json (one object per line; the default inside a pod) or text.")
  var logFormat: String?

  func validate() throws {
    try OldSpelling.check(
      "--repo", given: oldRepo != nil, new: "--repo-url", newGiven: repoURL != nil)
    if repoURL == nil && oldRepo == nil {
      throw ValidationError("Missing expected argument '--repo-url <url>'")
    }
    if let logFormat, !["json", "text"].contains(logFormat) {
      throw ValidationError("--log-format is json or text, not \(logFormat)")
    }
  }

  func run() async throws {
    let inPod = ProcessInfo.processInfo.environment["KUBERNETES_SERVICE_HOST"] != nil
    var logger =
      (logFormat ?? (inPod ? "json" : "text")) == "json"
      ? Logger(label: "tripgen-controller") { JSONLogHandler(label: $0) }
      : Logger(label: "tripgen-controller")
    logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
    var kubeConfiguration: KubeClientConfiguration
    let environment = ProcessInfo.processInfo.environment
    if kubeconfig == nil, context == nil, environment["KUBERNETES_SERVICE_HOST"] != nil {
      kubeConfiguration = try KubeClientConfiguration.inCluster(environment: environment)
    } else {
      kubeConfiguration = try KubeClientConfiguration.load(kubeconfig: kubeconfig, context: context)
    }
    kubeConfiguration.queriesPerSecond = kubeQPS
    kubeConfiguration.burst = kubeBurst
    let client = KubeClient(configuration: kubeConfiguration, transport: KubeHTTPTransport())
    let credentials = GitCredentials(
      username: gitUsername,
      password: try gitTokenFile.map { String(decoding: try SecretFile.read($0), as: UTF8.self) },
      sshPrivateKey: gitSSHKey, knownHosts: gitKnownHosts, certificateAuthorityFile: gitCAFile)
    let configuration = Controller.Configuration(
      environments: environments, repository: repository, branch: branch,
      credentials: credentials, mirrorDirectory: mirrorDir,
      webhookSecret: try webhookSecretFile.map { try SecretFile.read($0) },
      apiToken: try apiTokenFile.map { try SecretFile.read($0) }, host: address, port: port,
      identity: identity ?? environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName,
      leaseNamespace: noLeaderElection ? nil : (leaseNamespace ?? kubeConfiguration.namespace),
      pollInterval: pollSeconds.map { .milliseconds(Int64($0 * 1000)) })
    let controller = try await Controller(
      configuration: configuration, engine: GitOpsEngine(client: client), logger: logger)
    let log = logger
    let task = Task {
      try await controller.run { port in
        log.info("listening", metadata: ["port": "\(port)"])
      }
    }
    let signals = ShutdownSignals(timeout: shutdownTimeout, logger: log) { task.cancel() }
    defer { signals.cancel() }
    do {
      try await task.value
    } catch is CancellationError {
    }
    logger.info("stopped")
  }
}

/// SIGTERM and SIGINT cancel the controller (it stops between two applies); if it has not
/// finished `timeout` seconds later the process exits anyway, inside the pod's grace period.
final class ShutdownSignals {
  private let sources: [any DispatchSourceSignal]

  init(timeout: Double, logger: Logger, onSignal: @escaping @Sendable () -> Void) {
    let queue = DispatchQueue(label: "tripgen.signals")
    sources = [SIGTERM, SIGINT].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler {
        logger.notice("shutting down", metadata: ["signal": "\(number)"])
        onSignal()
        queue.asyncAfter(deadline: .now() + timeout) {
          logger.error("shutdown took longer than \(timeout) s; exiting")
          exit(1)
        }
      }
      source.resume()
      return source
    }
  }

  func cancel() { for source in sources { source.cancel() } }
}
