import Delivery
import Environments
import Foundation
import Git
import GitOps
import Kube
import Logging
import Synchronization
import YAML

/// Keeps one environment equal to Git: syncs each new revision (per its policy), retries failures
/// with backoff, watches the live objects for drift and health, self-heals, follows the sleep
/// schedule, and publishes status, events and metrics.
///
/// Work arrives on one queue and runs one item at a time, so two syncs of an environment never
/// overlap. Nothing here is persisted: after a restart the first revision is synced again (an
/// apply that changes nothing writes nothing) and the watches report the live state afresh.
public actor EnvironmentController {
  /// Timings, injectable so tests run in seconds.
  public struct Options: Sendable {
    /// The wait before the first self-heal of a drift; doubles while drift keeps coming back.
    public var selfHealBackoff: Duration
    public var maxSelfHealBackoff: Duration
    /// How often the sleep schedule is checked.
    public var scheduleCheckInterval: Duration
    /// The clock the schedule reads.
    public var now: @Sendable () -> Date
    /// Seconds a wave (or hook) may take to become healthy, as `tripgen sync --timeout`.
    public var waveTimeout: Double

    public init(
      selfHealBackoff: Duration = .seconds(2), maxSelfHealBackoff: Duration = .seconds(300),
      scheduleCheckInterval: Duration = .seconds(30),
      now: @escaping @Sendable () -> Date = { Date() }, waveTimeout: Double = 300
    ) {
      self.selfHealBackoff = selfHealBackoff
      self.maxSelfHealBackoff = maxSelfHealBackoff
      self.scheduleCheckInterval = scheduleCheckInterval
      self.now = now
      self.waveTimeout = waveTimeout
    }
  }

  enum Work: Sendable {
    case revision(Commit, SyncTrigger)
    case sync(SyncTrigger)
    case retry(commit: String, attempt: Int)
    case heal
    case rollback(Commit)
    case scheduleChanged
    case sleepChanged
    case becameLeader
  }

  public nonisolated let name: String
  let repository: GitRepository
  /// The engine every sync, health assessment and drift check goes through.
  let engine: GitOpsEngine
  /// Where the environment's images are looked up, with the pod's credentials.
  let images: ImageStores
  var client: KubeClient { engine.client }
  let events: KubeEventRecorder
  let metrics: ControllerMetrics
  let isLeader: @Sendable () -> Bool
  /// Whether this replica still holds the lease as the API server has it (asked before writes).
  let confirmLeadership: @Sendable () async -> Bool
  let options: Options
  let logger: Logger

  private(set) var status: ControlledEnvironment
  private var environment: Environment
  private var tip: Commit?
  private var syncedCommit: String?
  /// What the last syncs applied, the state drift is measured against.
  private var applied: [ObjectKey: AppliedObject] = [:]
  private var attempts: (commit: String, count: Int)?
  private var retryTask: Task<Void, Never>?
  private var healTask: Task<Void, Never>?
  private var healStreak = 0
  private var lastHeal: ContinuousClock.Instant?
  private var drifted: [ObjectKey: [String]] = [:]
  /// Each object as last compared, without what never counts (status, server metadata): an
  /// event that changes only those needs no dry run.
  private var compared: [ObjectKey: JSONValue] = [:]
  /// The resourceVersion of each object's latest watch event (what an assessment is for).
  private var observedVersion: [ObjectKey: String] = [:]
  private var watches: [String: Task<Void, Never>] = [:]
  private var syncing = false
  /// The sync in flight, cancelled when the lease is lost.
  private var inFlight: Task<SyncOutcome, Never>?
  /// Whether a reconcile has been attempted (readiness).
  public private(set) var reconcileAttempted = false
  private let queue: AsyncStream<Work>
  private let enqueue: AsyncStream<Work>.Continuation

  /// - Parameter environment: The environment as its file read at start-up (the file at each
  ///   revision replaces it).
  public init(
    environment: Environment, repository: GitRepository, engine: GitOpsEngine,
    images: ImageStores = ImageStores(root: nil), events: KubeEventRecorder,
    metrics: ControllerMetrics,
    isLeader: @escaping @Sendable () -> Bool,
    confirmLeadership: @escaping @Sendable () async -> Bool = { true },
    options: Options = Options(), logger: Logger
  ) {
    name = environment.name
    self.environment = environment
    self.repository = repository
    self.engine = engine
    self.images = images
    self.events = events
    self.metrics = metrics
    self.isLeader = isLeader
    self.confirmLeadership = confirmLeadership
    self.options = options
    var logger = logger
    logger[metadataKey: "environment"] = "\(environment.name)"
    self.logger = logger
    status = ControlledEnvironment(
      name: environment.name, namespace: environment.spec.namespace,
      repository: environment.spec.source.repository, branch: environment.spec.source.branch,
      policy: .init(environment.spec.syncPolicy))
    (queue, enqueue) = AsyncStream.makeStream(of: Work.self)
  }

  // MARK: Inputs

  /// A tip of the watched branch (from a poll or a webhook-triggered fetch).
  public nonisolated func revisionArrived(_ commit: Commit, trigger: SyncTrigger) {
    enqueue.yield(.revision(commit, trigger))
  }

  /// This replica now holds the lease: sync the current revision (a standby never synced it, and
  /// the previous leader may have died mid-sync).
  public nonisolated func becameLeader() {
    enqueue.yield(.becameLeader)
  }

  /// This replica lost the lease: the sync in flight stops before its next write.
  public func lostLeadership() {
    inFlight?.cancel()
  }

  /// Syncs the current revision now (the API's "sync now").
  public nonisolated func requestSync() {
    enqueue.yield(.sync(.manual))
  }

  /// Syncs a recorded revision; refused while automated sync would undo it at once.
  public func requestRollback(to commitID: String) async throws(ControllerError) {
    guard !environment.spec.syncPolicy.automated else {
      throw .conflict(
        "environment \(name) syncs automatically, so a rollback would be undone by the next sync; set syncPolicy.automated to false in Git first"
      )
    }
    guard let id = ObjectID(hex: commitID) else {
      throw .conflict("\(commitID) is not a full 40-digit commit id")
    }
    // The syncs this process ran, or those the engine recorded in the cluster (which outlive a
    // restart or a change of leader).
    var recorded = status.syncs.contains { $0.revision == commitID } || commitID == tip?.id.hex
    if !recorded {
      let history = SyncHistory(
        client: client, environment: name, namespace: environment.spec.namespace)
      do {
        recorded = try await history.entries().contains { $0.revision == commitID }
      } catch {
        throw .conflict(
          "cannot read the sync history ConfigMap \(history.namespace)/\(history.name): \(error)")
      }
    }
    guard recorded else {
      throw .conflict("\(commitID) is not among the recorded syncs of environment \(name)")
    }
    let commit: Commit
    do { commit = try await repository.commit(id) } catch { throw .git(error) }
    enqueue.yield(.rollback(commit))
  }

  /// The status, for the page and the API.
  public func snapshot() -> ControlledEnvironment { status }

  // MARK: The loop

  /// Runs until the task is cancelled; a sync in progress stops between two applies.
  public func run() async {
    let schedule = Task { await self.runSchedule() }
    defer {
      schedule.cancel()
      retryTask?.cancel()
      healTask?.cancel()
      for watch in watches.values { watch.cancel() }
    }
    for await work in queue {
      if Task.isCancelled { break }
      await handle(work)
    }
  }

  private func handle(_ work: Work) async {
    switch work {
    case .revision(let commit, let trigger):
      await load(commit)
      guard tip?.id == commit.id else { return }
      // The same revision again (a poll after a webhook, the first poll after start-up): a failed
      // one is already being retried on its backoff, a synced one needs nothing.
      if commit.id.hex != syncedCommit, attempts?.commit != commit.id.hex {
        if environment.spec.syncPolicy.automated {
          await sync(trigger: trigger)
        } else {
          status.status.sync = .outOfSync
        }
      }
    case .sync(let trigger):
      await sync(trigger: trigger)
    case .retry(let commit, _):
      guard tip?.id.hex == commit, syncedCommit != commit else { return }
      await sync(trigger: .retry)
    case .heal:
      healTask = nil
      guard !drifted.isEmpty, environment.spec.syncPolicy.selfHeal else { return }
      if let lastHeal, ContinuousClock.now - lastHeal < .seconds(60) {
        healStreak += 1
      } else {
        healStreak = 0
      }
      lastHeal = ContinuousClock.now
      await sync(trigger: .selfHeal)
    case .rollback(let commit):
      await load(commit)
      await sync(trigger: .rollback)
    case .scheduleChanged:
      await sync(trigger: .schedule)
    case .sleepChanged:
      let asleep = (try? await sleepMarker.read())?.asleep ?? false
      if asleep != (status.sleep?.asleep ?? false), environment.spec.syncPolicy.automated {
        await sync(trigger: .manual)
      }
    case .becameLeader:
      if tip != nil, environment.spec.syncPolicy.automated { await sync(trigger: .poll) }
    }
  }

  /// Reads the environment file and files at `commit`.
  private func load(_ commit: Commit) async {
    do {
      // What the environment names only (its file, charts, values), as every sync reads it.
      environment = try await EnvironmentSource(repository: repository, workingTree: nil)
        .files(of: name, at: .commit(commit.id)).environment
      tip = commit
      status.revision = RevisionInfo(
        commit: commit.id.hex, author: commit.author.name, message: commit.summary,
        time: commit.author.time)
      status.policy = .init(environment.spec.syncPolicy)
      status.status.namespace = environment.spec.namespace
      status.status.revision = commit.id.hex
    } catch {
      status.lastError = "revision \(commit.id.short): \(error)"
      status.status.sync = .unknown
      logger.error("cannot load the revision", metadata: ["error": "\(error)"])
    }
  }

  private func sync(trigger: SyncTrigger) async {
    guard isLeader() else { return }
    guard let commit = tip else { return }
    // A person asking starts the retry budget afresh.
    if trigger == .manual || trigger == .rollback { attempts = nil }
    // For the status page: the engine reads the marker itself and applies the sleep policy.
    status.sleep = try? await sleepMarker.read()
    let confirm = confirmLeadership
    let run = EnvironmentSyncRun(
      engine: engine, images: images, repository: repository, environment: environment,
      commit: commit, trigger: trigger, waveTimeout: options.waveTimeout,
      writeGate: {
        guard await confirm() else { throw ControllerError.lostLease }
      })
    let previousStatus = status.status.sync
    status.status.sync = .syncing
    syncing = true
    let started = Date()
    let clock = ContinuousClock.now
    logger.info(
      "sync started",
      metadata: ["revision": "\(commit.id.short)", "trigger": "\(trigger.rawValue)"])
    // A task of its own, so that losing the lease can cancel it; it is cancelled with this one
    // too (SIGTERM), which an unstructured task would not be by itself.
    let task = Task { await run.run() }
    inFlight = task
    let outcome = await withTaskCancellationHandler {
      await task.value
    } onCancel: {
      task.cancel()
    }
    inFlight = nil
    // Before the status changes below, which then happen without a suspension in between.
    let assessed = await assessments(of: outcome.applied)
    syncing = false
    reconcileAttempted = true
    let duration = ContinuousClock.now - clock
    metrics.recordReconcile(environment: name, outcome: outcome.result, duration: duration)
    status.record(
      SyncRecord(
        revision: commit.id.hex, trigger: trigger, result: outcome.result, started: started,
        finished: Date(), message: outcome.message))
    for object in outcome.applied { applied[object.key] = object }
    if !outcome.images.isEmpty {
      status.images = outcome.images
      status.status.waitingForImages = outcome.images.filter { $0.digest == nil }.map(\.reference)
    }
    var healedKeys: [ObjectKey] = []
    switch outcome.result {
    case .succeeded:
      // Objects no longer in Git are no longer measured for drift.
      let current = Set(outcome.applied.map(\.key))
      applied = applied.filter { current.contains($0.key) }
      compared = [:]
      let healed = drifted.keys.filter { current.contains($0) }
      drifted = [:]
      syncedCommit = commit.id.hex
      status.syncedRevision = commit.id.hex
      attempts = nil
      status.lastError = nil
      status.status.sync = .synced
      metrics.recordRevision(
        environment: name, revision: commit.id.hex, branch: environment.spec.source.branch)
      logger.info(
        "sync succeeded",
        metadata: [
          "revision": "\(commit.id.short)", "changed": "\(outcome.changed.count)",
          "seconds": "\(duration.seconds)",
        ])
      healedKeys = healed
    case .failed:
      status.lastError = outcome.message
      status.status.sync = .outOfSync
      logger.error("sync failed", metadata: ["error": "\(outcome.message)"])
      scheduleRetry(commit: commit.id.hex)
    case .cancelled:
      status.status.sync = previousStatus == .synced ? .outOfSync : previousStatus
      logger.notice("sync stopped between two applies", metadata: ["detail": "\(outcome.message)"])
    }
    refreshObjectStatus(from: outcome, assessed: assessed)
    startWatches()
    // Last: the status above is complete before this actor lets anyone else in.
    if outcome.result != .cancelled {
      await recordEvents(outcome, commit: commit, trigger: trigger, healed: healedKeys)
    }
  }

  private func recordEvents(
    _ outcome: SyncOutcome, commit: Commit, trigger: SyncTrigger, healed: [ObjectKey]
  ) async {
    let live = Dictionary(outcome.applied.map { ($0.key, $0.live) }, uniquingKeysWith: { $1 })
    for key in outcome.changed {
      guard let object = live[key] else { continue }
      let reason = healed.contains(key) ? "SelfHealed" : "ResourceUpdated"
      await events.record(
        .normal, reason: reason,
        message: "applied revision \(commit.id.short) (\(trigger.rawValue))", about: object)
    }
    if let failed = outcome.failedObject {
      let object =
        live[failed] ?? applied[failed]?.live
        ?? [
          "apiVersion": .string(failed.group.isEmpty ? "v1" : "\(failed.group)/v1"),
          "kind": .string(failed.kind),
          "metadata": ["name": .string(failed.name), "namespace": .string(failed.namespace)],
        ]
      await events.record(
        .warning, reason: "SyncFailed",
        message: "sync of revision \(commit.id.short) failed: \(outcome.message)", about: object)
    }
  }

  /// Retries a failed revision per the policy's backoff; after the limit it waits for a new
  /// revision or a manual sync (never a hot loop on the same failure).
  private func scheduleRetry(commit: String) {
    let count = attempts?.commit == commit ? (attempts?.count ?? 0) + 1 : 1
    attempts = (commit, count)
    guard let retry = environment.spec.syncPolicy.retry, count <= retry.limit else {
      if environment.spec.syncPolicy.retry != nil {
        status.lastError =
          (status.lastError ?? "") + " (retries exhausted; waiting for a new revision)"
      }
      return
    }
    let delay = (try? retry.delay(beforeRetry: count - 1)) ?? 5
    retryTask?.cancel()
    let enqueue = self.enqueue
    retryTask = Task {
      try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
      if !Task.isCancelled { enqueue.yield(.retry(commit: commit, attempt: count)) }
    }
  }

  private var sleepMarker: SleepMarker {
    SleepMarker(client: client, environment: name, namespace: environment.spec.namespace)
  }

  // MARK: Drift and health

  /// The applied objects' statuses, from assessments made before (`assessed`): no suspension
  /// here, so whoever reads the status sees the sync's result and its objects together.
  private func refreshObjectStatus(
    from outcome: SyncOutcome, assessed: [ObjectKey: HealthAssessment]
  ) {
    for object in outcome.applied {
      if let health = assessed[object.key] { record(object.key, exists: true, health: health) }
    }
    let known = Set(applied.keys.map(\.description))
    status.status.objects.removeAll { !known.contains($0.key) }
    status.status.recomputeHealth()
    publishObjectMetrics()
  }

  /// The health of each applied object, as the engine assesses it.
  private func assessments(of objects: [AppliedObject]) async -> [ObjectKey: HealthAssessment] {
    var result: [ObjectKey: HealthAssessment] = [:]
    for object in objects { result[object.key] = await assessment(object.key, live: object.live) }
    return result
  }

  /// The object's health as the engine assesses it: a workload with its pods, as `tripgen status`
  /// does; Missing when it is gone.
  private func assessment(_ key: ObjectKey, live: JSONValue?) async -> HealthAssessment {
    guard let live else { return HealthAssessment(status: .missing, message: "not in the cluster") }
    do {
      return try await engine.assess(key, live: live)
    } catch {
      return HealthAssessment(status: .unknown, message: "\(error)")
    }
  }

  /// The object's status from a watch event. Assessing suspends: an event for the same object
  /// that arrives meanwhile wins, so an older state never overwrites a newer one.
  private func update(_ key: ObjectKey, live: JSONValue?) async {
    let version = live?["metadata"]?["resourceVersion"]?.stringValue ?? "(gone)"
    observedVersion[key] = version
    let health = await assessment(key, live: live)
    guard observedVersion[key] == version else { return }
    record(key, exists: live != nil, health: health)
  }

  /// One object's status, and the environment's health and sync status with it.
  private func record(_ key: ObjectKey, exists: Bool, health: HealthAssessment) {
    guard applied[key] != nil else { return }
    status.status.update(
      ObjectStatus(
        key: key, sync: drifted[key] == nil && exists ? .synced : .outOfSync,
        health: health, changedPaths: drifted[key] ?? []))
    if drifted.isEmpty, status.status.sync == .outOfSync, syncedCommit == tip?.id.hex {
      status.status.sync = .synced
    }
  }

  private func publishObjectMetrics() {
    var counts: [ObjectCountKey: Int] = [:]
    for object in status.status.objects {
      counts[
        ObjectCountKey(health: object.health.status.rawValue, sync: object.sync.rawValue),
        default: 0] += 1
    }
    metrics.recordObjects(environment: name, counts: counts)
  }

  /// One watch per kind the environment applied, on its label selector.
  private func startWatches() {
    var kinds: [String: (apiVersion: String, kind: String, namespaced: Bool)] = [:]
    for object in applied.values {
      let apiVersion = object.desired["apiVersion"]?.stringValue ?? "v1"
      kinds["\(apiVersion)/\(object.key.kind)"] = (
        apiVersion, object.key.kind, !object.key.namespace.isEmpty
      )
    }
    for (id, watch) in watches where kinds[id] == nil && id != "sleep-marker" {
      watch.cancel()
      watches[id] = nil
    }
    let selector = TrackingMarks.selector(environment: name)
    let namespace = environment.spec.namespace
    if watches["sleep-marker"] == nil { watchSleepMarker(namespace: namespace) }
    for (id, kind) in kinds where watches[id] == nil {
      let client = self.client
      let logger = self.logger
      watches[id] = Self.restarting(kind: kind.kind, logger: logger) { [weak self] in
        let resource = try await client.resource(apiVersion: kind.apiVersion, kind: kind.kind)
        let stream = client.watch(
          resource, namespace: kind.namespaced ? namespace : nil, labelSelector: selector,
          onNotice: { Self.log($0, kind: kind.kind, logger: logger) })
        for try await event in stream {
          guard let self else { return }
          await self.observe(event, apiVersion: kind.apiVersion, kind: kind.kind)
        }
      }
    }
  }

  /// Runs `watch` for as long as the task lives, starting it again whenever it ends (a permission
  /// was missing, the server said 404), after the watches' own backoff (doubling to 30 s), as
  /// client-go's reflectors do: a controller whose watch ended would never see drift again.
  private static func restarting(
    kind: String, logger: Logger, _ watch: @escaping @Sendable () async throws -> Void
  ) -> Task<Void, Never> {
    Task {
      var failures = 0
      while !Task.isCancelled {
        let started = ContinuousClock.now
        do {
          try await watch()
        } catch {
          if Task.isCancelled { return }
          logger.warning(
            "watch ended; starting it again", metadata: ["kind": "\(kind)", "error": "\(error)"])
        }
        // A watch that ran a while before ending starts the backoff afresh.
        failures = ContinuousClock.now - started > .seconds(60) ? 1 : failures + 1
        try? await Task.sleep(for: KubeBackoff().delay(afterFailures: failures))
      }
    }
  }

  /// `tripgen env sleep|wake` and the schedule of another replica change the marker: a sync then
  /// applies the replicas it asks for, even when no Deployment changed.
  private func watchSleepMarker(namespace: String) {
    let client = self.client
    let enqueue = self.enqueue
    let logger = self.logger
    let selector = "\(SleepMarker.label)=\(name)"
    // Across restarts of the watch: a change while it was down is still noticed.
    let last = LastSleepState()
    watches["sleep-marker"] = Self.restarting(kind: "ConfigMap", logger: logger) {
      let resource = try await client.resource(apiVersion: "v1", kind: "ConfigMap")
      for try await event in client.watch(
        resource, namespace: namespace, labelSelector: selector,
        onNotice: { Self.log($0, kind: "ConfigMap", logger: logger) })
      {
        let object: JSONValue
        switch event {
        case .added(let value), .modified(let value): object = value
        case .relisted(let items, _):
          guard let first = items.first else { continue }
          object = first
        case .deleted, .bookmark: continue
        }
        // The first event is the state the last sync already read.
        if last.changed(to: object["data"]?["asleep"]?.stringValue == "true") {
          enqueue.yield(.sleepChanged)
        }
      }
    }
  }

  /// A watch recovers on its own and ends only on an error no retry fixes; what it recovered
  /// from still belongs in the log, or a cluster the controller cannot reach looks quiet.
  private static func log(_ notice: KubeWatchNotice, kind: String, logger: Logger) {
    switch notice {
    case .watchListRefused(let reason):
      logger.info(
        "the API server does not stream lists; the watch lists, then watches",
        metadata: ["kind": "\(kind)", "reason": "\(reason)"])
    case .expired:
      logger.info("watch history expired; reading the state again", metadata: ["kind": "\(kind)"])
    case .retrying(let error, let failures, let delay):
      logger.warning(
        "watch failed; retrying",
        metadata: [
          "kind": "\(kind)", "error": "\(error)", "failures": "\(failures)", "retryIn": "\(delay)",
        ])
    }
  }

  private func observe(_ event: KubeWatchEvent, apiVersion: String, kind: String) async {
    switch event {
    case .added(let object), .modified(let object):
      await observeLive(object)
    case .deleted(let object):
      guard let key = ObjectKey(object: object), applied[key] != nil else { return }
      compared[key] = nil
      await update(key, live: nil)
      await noteDrift(key, paths: ["(deleted)"], live: object)
    case .relisted(let items, _):
      var seen: Set<ObjectKey> = []
      for item in items {
        if let key = ObjectKey(object: item) { seen.insert(key) }
        await observeLive(item)
      }
      for (key, entry) in applied
      where entry.key.kind == kind && entry.desired["apiVersion"]?.stringValue == apiVersion
        && !seen.contains(key)
      {
        compared[key] = nil
        await update(key, live: nil)
        await noteDrift(key, paths: ["(deleted)"], live: entry.live)
      }
    case .bookmark:
      return
    }
    publishObjectMetrics()
  }

  /// Drift is the engine's diff of the object against what applying Git's would make it (a
  /// server-side dry run through the environment's normalizer), asked only when something
  /// besides status and server metadata changed since the last comparison.
  private func observeLive(_ object: JSONValue) async {
    guard let key = ObjectKey(object: object), let entry = applied[key],
      TrackingMarks.isOwned(object, by: name)
    else { return }
    // Mid-sync, objects not yet applied still differ from the new revision: not drift.
    if syncing {
      await update(key, live: object)
      return
    }
    let normalized = LiveObjectNormalizer().normalize(object)
    if compared[key] == normalized {
      await update(key, live: object)
      return
    }
    let paths: [String]
    do {
      guard
        let found = try await engine.drift(of: entry.desired, live: object, in: environment)
      else {
        // Older than what the server stores: the newer event is compared instead.
        return
      }
      paths = found
    } catch {
      if Task.isCancelled { return }
      logger.warning(
        "cannot compare with Git", metadata: ["object": "\(key)", "error": "\(error)"])
      await update(key, live: object)
      return
    }
    compared[key] = normalized
    if paths.isEmpty {
      drifted[key] = nil
    } else {
      await noteDrift(key, paths: paths, live: object)
    }
    await update(key, live: object)
  }

  private func noteDrift(_ key: ObjectKey, paths: [String], live: JSONValue) async {
    let isNew = drifted[key] == nil
    drifted[key] = paths
    status.status.sync = .outOfSync
    // Before the event's await: whoever reads the status meanwhile sees the object out of sync too.
    if let index = status.status.objects.firstIndex(where: { $0.key == key.description }) {
      status.status.objects[index].sync = .outOfSync
      status.status.objects[index].changedPaths = paths
    }
    // Only the leader reports (a standby sees the same drift, and writes nothing).
    if isNew, isLeader() {
      let selfHeal = environment.spec.syncPolicy.selfHeal
      logger.warning(
        "drift detected",
        metadata: [
          "object": "\(key)", "fields": "\(paths.joined(separator: ","))",
          "selfHeal": "\(selfHeal)",
        ])
      await events.record(
        .warning, reason: "DriftDetected",
        message:
          "live object differs from Git at \(paths.joined(separator: ", "))"
          + (selfHeal ? "; self-heal will revert it" : "; self-heal is off, reporting only"),
        about: live)
    }
    if environment.spec.syncPolicy.selfHeal, environment.spec.syncPolicy.automated {
      scheduleHeal()
    }
  }

  private func scheduleHeal() {
    guard healTask == nil else { return }
    var delay = options.selfHealBackoff
    for _ in 0..<min(healStreak, 20) { delay *= 2 }
    delay = min(delay, options.maxSelfHealBackoff)
    let enqueue = self.enqueue
    healTask = Task {
      try? await Task.sleep(for: delay)
      if !Task.isCancelled { enqueue.yield(.heal) }
    }
  }

  // MARK: Schedule

  private func runSchedule() async {
    while !Task.isCancelled {
      await checkSchedule()
      try? await Task.sleep(for: options.scheduleCheckInterval)
    }
  }

  /// Acts when the schedule's phase differs from the one it last applied.
  func checkSchedule() async {
    guard isLeader(), tip != nil else { return }
    do {
      guard
        let phase = try await SleepSchedule(client: client, environment: environment).apply(
          now: options.now())
      else { return }
      logger.info("schedule", metadata: ["phase": "\(phase)"])
      enqueue.yield(.scheduleChanged)
    } catch {
      // Shutting down is not a failure of the schedule.
      if Task.isCancelled { return }
      status.lastError = "schedule: \(error)"
      logger.error("schedule check failed", metadata: ["error": "\(error)"])
    }
  }
}

extension ControlledEnvironment.Policy {
  init(_ policy: SyncPolicy) {
    self.init(automated: policy.automated, prune: policy.prune, selfHeal: policy.selfHeal)
  }
}

/// The sleep marker's last state seen by the controller's watch.
private final class LastSleepState: Sendable {
  private let value = Mutex<Bool?>(nil)

  /// Records `asleep`; whether it differs from a state seen before.
  func changed(to asleep: Bool) -> Bool {
    value.withLock { last in
      defer { last = asleep }
      return last.map { $0 != asleep } ?? false
    }
  }
}
