import Delivery
import Environments
import Foundation
import Git
import GitOps
import Hummingbird
import Kube
import Logging

/// The in-cluster controller: one Git mirror, one poller per watched branch, one
/// ``EnvironmentController`` per environment, leader election, and the HTTP server (probes,
/// metrics, status page, API, webhook). `tripgen controller` builds one and runs it.
public final class Controller: Sendable {
  public struct Configuration: Sendable {
    /// The environments to keep in sync (folders under `environments/`).
    public var environments: [String]
    /// The Git repository holding the environments (URL with no credentials in it).
    public var repository: String
    public var credentials: GitCredentials
    /// The branch to watch (an environment naming another one in `spec.source.branch` is
    /// logged as a warning and follows this one).
    public var branch: String
    /// Where the mirror lives (an emptyDir in the cluster).
    public var mirrorDirectory: String?
    /// The webhook secret; nil refuses every delivery.
    public var webhookSecret: [UInt8]?
    /// The token write actions need; nil disables them.
    public var apiToken: [UInt8]?
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    /// This replica (the pod name).
    public var identity: String
    /// Where the leader Lease lives; nil runs without leader election (always the leader).
    public var leaseNamespace: String?
    public var leaderTiming: LeaderElector.Timing
    /// Overrides every environment's `spec.source.interval` (tests, benchmarks).
    public var pollInterval: Duration?
    public var environmentOptions: EnvironmentController.Options

    public init(
      environments: [String], repository: String, branch: String,
      credentials: GitCredentials = GitCredentials(), mirrorDirectory: String? = nil,
      webhookSecret: [UInt8]? = nil, apiToken: [UInt8]? = nil, host: String = "0.0.0.0",
      port: Int = 8080, identity: String, leaseNamespace: String?,
      leaderTiming: LeaderElector.Timing = .init(), pollInterval: Duration? = nil,
      environmentOptions: EnvironmentController.Options = .init()
    ) {
      self.environments = environments
      self.repository = repository
      self.branch = branch
      self.credentials = credentials
      self.mirrorDirectory = mirrorDirectory
      self.webhookSecret = webhookSecret
      self.apiToken = apiToken
      self.host = host
      self.port = port
      self.identity = identity
      self.leaseNamespace = leaseNamespace
      self.leaderTiming = leaderTiming
      self.pollInterval = pollInterval
      self.environmentOptions = environmentOptions
    }
  }

  public let configuration: Configuration
  public let metrics: ControllerMetrics
  public let elector: LeaderElector?
  public let webhook: WebhookReceiver
  public let poller: SourcePoller
  let environments: [String: EnvironmentController]
  private let order: [String]
  private let firstRevision: Commit
  private let logger: Logger

  /// Mirrors the repository, fetches the branch once and loads every environment from it; fails
  /// when the first fetch or an environment file fails (the pod restarts with backoff).
  public init(
    configuration: Configuration, engine: GitOpsEngine, logger: Logger
  ) async throws {
    let client = engine.client
    self.configuration = configuration
    self.logger = logger
    let metrics = ControllerMetrics()
    self.metrics = metrics
    if let directory = configuration.mirrorDirectory {
      let removed = StaleGitLocks.remove(in: directory)
      if removed > 0 {
        logger.notice("removed stale Git lock files", metadata: ["count": "\(removed)"])
      }
    }
    let repository: GitRepository
    do {
      repository = try await GitRepository.mirror(
        of: configuration.repository, credentials: configuration.credentials,
        in: configuration.mirrorDirectory)
    } catch {
      throw ControllerError.git(error)
    }
    let watcher = RevisionWatcher(repository: repository, branch: configuration.branch)
    let start = ContinuousClock.now
    let first: RevisionWatcher.Revision
    do {
      first = try await watcher.refresh()
      metrics.recordGitFetch(duration: ContinuousClock.now - start, succeeded: true)
    } catch {
      metrics.recordGitFetch(duration: ContinuousClock.now - start, succeeded: false)
      throw ControllerError.git(error)
    }
    firstRevision = first.commit
    let source = EnvironmentSource(repository: repository, workingTree: nil)
    let elector = configuration.leaseNamespace.map {
      LeaderElector(
        client: client, namespace: $0, identity: configuration.identity,
        timing: configuration.leaderTiming, logger: logger)
    }
    self.elector = elector
    let events = KubeEventRecorder(
      client: client, instance: configuration.identity, logger: logger)
    var controllers: [String: EnvironmentController] = [:]
    var intervals: [Duration] = []
    for name in configuration.environments {
      let environment = try await Self.load(name, from: source, at: first.commit.id)
      if environment.spec.source.branch != configuration.branch {
        logger.warning(
          "the environment names another branch than the controller watches",
          metadata: [
            "environment": "\(name)", "branch": "\(environment.spec.source.branch)",
            "watching": "\(configuration.branch)",
          ])
      }
      let seconds = try? DurationSetting.seconds(
        environment.spec.source.interval ?? "60s", field: "spec.source.interval")
      intervals.append(.milliseconds(Int64((seconds ?? 60) * 1000)))
      controllers[name] = EnvironmentController(
        environment: environment, repository: repository, engine: engine, events: events,
        metrics: metrics, isLeader: { elector?.isLeader ?? true },
        confirmLeadership: { await elector?.confirm() ?? true },
        options: configuration.environmentOptions, logger: logger)
    }
    environments = controllers
    order = configuration.environments
    let targets = Array(controllers.values)
    poller = SourcePoller(
      repository: repository, branch: configuration.branch,
      interval: configuration.pollInterval ?? intervals.min() ?? .seconds(60), metrics: metrics
    ) { commit, trigger in
      for target in targets { target.revisionArrived(commit, trigger: trigger) }
    }
    webhook = WebhookReceiver(
      signature: configuration.webhookSecret.map(WebhookSignature.init(secret:)),
      sources: [
        .init(
          repository: configuration.repository, branch: configuration.branch,
          coalescer: poller.coalescer)
      ])
    await poller.coalescer.observe(tip: first.commit.id.hex)
  }

  /// Environment `name` as its file reads at `commit` (only the files it names are read).
  private static func load(_ name: String, from source: EnvironmentSource, at commit: ObjectID)
    async throws -> Environments.Environment
  {
    do {
      return try await source.files(of: name, at: .commit(commit)).environment
    } catch let error as EnvironmentError {
      throw ControllerError.environment(name: name, revision: commit.hex, error)
    } catch let error as GitError {
      throw ControllerError.git(error)
    }
  }

  /// Whether this replica holds the lease (always, without leader election).
  public var isLeader: Bool { elector?.isLeader ?? true }

  /// Ready once every environment's first reconcile was attempted; a standby once it has tried
  /// for the lease.
  public var isReady: Bool {
    get async {
      if let elector, !elector.isLeader { return elector.hasAttempted }
      for environment in environments.values where await !environment.reconcileAttempted {
        return false
      }
      return true
    }
  }

  public func environment(named name: String) -> EnvironmentController? { environments[name] }

  public func status(of name: String) async -> ControlledEnvironment? {
    await environments[name]?.snapshot()
  }

  public func statuses() async -> [ControlledEnvironment] {
    var result: [ControlledEnvironment] = []
    for name in order {
      if let status = await environments[name]?.snapshot() { result.append(status) }
    }
    return result
  }

  /// Whether an `Authorization` header carries the API token.
  public func authorizes(_ header: String?) -> Bool {
    guard let token = configuration.apiToken, let header, header.hasPrefix("Bearer ") else {
      return false
    }
    return ConstantTime.equal(Array(header.utf8.dropFirst("Bearer ".utf8.count)), token)
  }

  /// Serves HTTP and keeps the environments in sync until the task is cancelled (SIGTERM):
  /// a sync in progress stops between two applies, the lease is released, the server closes.
  /// - Parameter onServerRunning: Called with the bound port once the server listens.
  public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws
  {
    let app = Application(
      router: ControllerRoutes.router(for: self),
      configuration: .init(
        address: .hostname(configuration.host, port: configuration.port),
        serverName: "tripgen-controller"),
      onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
      logger: logger)
    // The election outlives the rest: on SIGTERM the environments stop first (a sync in flight
    // records itself as cancelled, which needs the lease), then the lease is released.
    let election = elector.map { elector in
      Task { await elector.run(releaseOnCancel: true) }
    }
    do {
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        for environment in environments.values {
          group.addTask { await environment.run() }
          environment.revisionArrived(firstRevision, trigger: .poll)
        }
        let metrics = self.metrics
        group.addTask { [poller] in await poller.run(metrics: metrics) }
        if let elector {
          let targets = Array(environments.values)
          group.addTask {
            for await leading in elector.changes() {
              metrics.recordLeader(leading)
              for target in targets {
                if leading { target.becameLeader() } else { await target.lostLeadership() }
              }
            }
          }
        } else {
          metrics.recordLeader(true)
        }
        try await group.next()
        group.cancelAll()
      }
    } catch {
      election?.cancel()
      await election?.value
      throw error
    }
    election?.cancel()
    await election?.value
  }
}
