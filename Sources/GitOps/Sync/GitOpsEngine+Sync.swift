import Environments
import Foundation
import Kube
import YAML

/// What one sync attempt has written so far, for the cancellation report and the history.
struct SyncProgressState {
  var applied: [ObjectKey] = []
  var pruned: [ObjectKey] = []
  /// The server's answer to each apply: the objects as stored now.
  var written: [ObjectKey: JSONValue] = [:]
  /// Whether anything was written (the inventory counts): a failure then is recorded in history,
  /// and a later attempt finishes the work (hooks, health) even if nothing differs any more.
  var wrote = false
  /// Asked before every write (``SyncOptions/writeGate``).
  var gate: (@Sendable () async throws -> Void)?
}

extension GitOpsEngine {
  /// Makes the cluster equal to `desired`: plans (validating everything with server-side dry runs
  /// before the first write), writes the inventory, applies wave by wave with server-side apply,
  /// waits for each wave to be healthy before the next, runs hooks, prunes after the last wave in
  /// reverse order, and records the sync in the history. Failed attempts are retried with the sync
  /// policy's backoff. Unchanged objects are never written; a sync with nothing to change writes
  /// nothing at all.
  ///
  /// Cancelling the calling task stops before the next write and throws
  /// ``GitOpsError/cancelled(applied:)``: each object is either applied or untouched, and the
  /// inventory still lists every object of the old and new revision, so the next sync finishes the
  /// work (and prunes what it must).
  ///
  /// `plan`, when given, is a plan of `desired` the caller computed (and showed) just before: the
  /// first attempt applies it instead of dry-running every object again; a retry plans afresh.
  public func sync(
    _ desired: DesiredState, options: SyncOptions = SyncOptions(), plan given: SyncPlan? = nil,
    progress: @escaping @Sendable (SyncEvent) -> Void = { _ in }
  ) async throws -> SyncResult {
    let started = Date()
    let retry = options.retry ?? desired.environment.spec.syncPolicy.retry
    var attempt = 0
    var state = SyncProgressState(gate: options.writeGate)
    while true {
      attempt += 1
      // What this attempt applies; `wrote` stays set once any attempt wrote.
      state.applied = []
      state.pruned = []
      do {
        var result = try await syncOnce(
          desired, options: options, plan: attempt == 1 ? given : nil, state: &state,
          progress: progress)
        result.attempts = attempt
        if result.outcome == .succeeded, options.recordHistory {
          try await beforeWrite(state)
          result.historyID = try await record(
            desired, result: SyncHistory.succeeded, message: nil, started: started,
            trigger: options.trigger)
        }
        return result
      } catch {
        let failure = Self.syncFailure(error, state: state)
        if Self.isRetryable(failure), let retry, attempt <= retry.limit {
          let delay = try retry.delay(beforeRetry: attempt - 1)
          progress(.retrying(attempt: attempt, delay: delay, error: "\(failure)"))
          do {
            try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            continue
          } catch {
            let cancelled = GitOpsError.cancelled(applied: state.applied)
            if state.wrote, options.recordHistory {
              try? await recordUncancelled(
                desired, error: cancelled, started: started, state, trigger: options.trigger)
            }
            throw cancelled
          }
        }
        if state.wrote, options.recordHistory, !options.dryRun {
          try? await recordUncancelled(
            desired, error: failure, started: started, state, trigger: options.trigger)
        }
        throw failure
      }
    }
  }

  /// One attempt: plan, then apply.
  private func syncOnce(
    _ desired: DesiredState, options: SyncOptions, plan given: SyncPlan?,
    state: inout SyncProgressState, progress: @escaping @Sendable (SyncEvent) -> Void
  ) async throws -> SyncResult {
    var plan: SyncPlan
    if let given, given.pruneEnabled == (options.prune ?? given.pruneEnabled) {
      plan = given
    } else {
      plan = try await self.plan(desired, prune: options.prune)
    }
    // An earlier attempt of this sync wrote and failed: this one finishes its work.
    if state.wrote { plan.lastSyncIncomplete = true }
    progress(.planned(plan))
    let refused = plan.untracked.filter { !options.adopt && !Self.adoptionAllowed($0) }
    if !refused.isEmpty { throw GitOpsError.adoptionRefused(refused.map(\.key)) }
    let deletions = plan.prune.filter { $0.action == .prune }
    if !deletions.isEmpty, deletions.count * 2 > plan.previousInventory.count,
      !options.allowMassPrune
    {
      throw GitOpsError.massPrune(
        count: deletions.count, of: plan.previousInventory.count, objects: deletions.map(\.key))
    }
    if options.dryRun {
      return SyncResult(
        outcome: .dryRun, plan: plan, applied: [], pruned: [], historyID: nil, attempts: 1)
    }
    let inventory = inventory(of: desired.environment)
    let next = plan.nextInventory
    guard plan.hasChanges else {
      // Stale entries of objects that are gone (or not ours) leave the inventory quietly, and
      // objects already equal to Git but not yet listed (applied by an earlier tool) join it.
      if next != plan.previousInventory {
        try await beforeWrite(state)
        try await inventory.write(members: next, current: plan.previousInventory, client: client)
        state.wrote = true
      }
      return SyncResult(
        outcome: .unchanged, plan: plan, applied: [], pruned: [], historyID: nil, attempts: 1)
    }

    // The environment's namespace first, when this sync creates it: the inventory lives there.
    let namespace = desired.environment.spec.namespace
    var done: Set<ObjectKey> = []
    if let own = plan.objects.first(where: {
      $0.key.group == "" && $0.key.kind == "Namespace" && $0.key.name == namespace
        && $0.action == .create
    }) {
      try await write(own, state: &state, progress: progress)
      done.insert(own.key)
    }
    // Before the first object: every member of the old and the new revision, so an interrupted
    // sync leaves nothing untracked.
    let union = plan.previousInventory.union(next)
    try await beforeWrite(state)
    if try await inventory.write(members: union, current: plan.previousInventory, client: client) {
      state.wrote = true
      progress(.inventoryWritten(members: union.count))
    }

    let waves = plan.waves
    for (index, wave) in waves.enumerated() {
      let changed = wave.objects.filter {
        $0.action == .create || $0.action == .update || $0.action == .runHook
      }
      // After an unfinished sync, objects written then may never have become healthy: wait for
      // every object of the wave, not only those this sync writes.
      let settling = plan.lastSyncIncomplete ? wave.objects : changed
      guard !settling.isEmpty else { continue }
      progress(.waveStarted(phase: wave.phase, wave: wave.wave, objects: changed.count))
      for object in changed where !done.contains(object.key) {
        if object.hook != nil {
          try await deletePreviousRun(
            of: object, timeout: options.timeout, state: state, progress: progress)
        }
        try await write(object, state: &state, progress: progress)
      }
      let hooks = changed.filter { $0.hook != nil }
      let isLast = index == waves.count - 1
      let watched = !isLast || options.wait ? settling : hooks
      do {
        try await waitHealthy(
          watched.map(\.key), timeout: options.timeout, pollInterval: options.pollInterval,
          applied: state.applied, progress: progress)
      } catch {
        try await finishHooks(
          hooks, succeeded: false, timeout: options.timeout, state: state, progress: progress)
        throw error
      }
      try await finishHooks(
        hooks, succeeded: true, timeout: options.timeout, state: state, progress: progress)
    }

    for stale in plan.prune where stale.action == .prune {
      try await beforeWrite(state)
      try await prune(stale, progress: progress)
      state.pruned.append(stale.key)
    }
    try await beforeWrite(state)
    try await inventory.write(members: next, current: union, client: client)
    return SyncResult(
      outcome: .succeeded, plan: plan, applied: state.applied, pruned: state.pruned,
      historyID: nil, attempts: 1, written: state.written)
  }

  /// Applies one object with force, as field manager `tripgen`.
  private func write(
    _ object: PlannedObject, state: inout SyncProgressState,
    progress: @escaping @Sendable (SyncEvent) -> Void
  ) async throws {
    try await beforeWrite(state)
    guard let desired = object.desired else { return }
    do {
      let answer = try await client.apply(desired, fieldManager: Self.fieldManager, force: true)
      state.written[object.key] = answer.object
    } catch is CancellationError {
      throw GitOpsError.cancelled(applied: state.applied)
    } catch let error as KubeError {
      throw GitOpsError.applyFailed(object.key, source: object.source, error)
    }
    state.applied.append(object.key)
    state.wrote = true
    progress(.applied(object.key, action: object.action, takenFields: object.takenFields))
  }

  /// Stops before a write when the task is cancelled or the write gate refuses.
  func beforeWrite(_ state: SyncProgressState) async throws {
    if Task.isCancelled { throw GitOpsError.cancelled(applied: state.applied) }
    do {
      try await state.gate?()
    } catch {
      throw GitOpsError.cancelled(applied: state.applied)
    }
  }

  /// The annotation that allows taking over an object that exists without our tracking marks.
  public static let adoptAnnotation = "tripgen.io/adopt"

  /// Whether an untracked object may be taken over without `--adopt`: annotated
  /// `tripgen.io/adopt: "true"` in Git or in the cluster.
  static func adoptionAllowed(_ object: PlannedObject) -> Bool {
    [object.desired, object.live].contains {
      $0?["metadata"]?["annotations"]?[adoptAnnotation]?.stringValue == "true"
    }
  }

  /// Deletes a stale object, only if it is still the one the plan saw (same uid).
  private func prune(_ object: PlannedObject, progress: @Sendable (SyncEvent) -> Void) async throws
  {
    guard let live = object.live else { return }
    do {
      let resource = try await client.resource(
        apiVersion: live["apiVersion"]?.stringValue ?? "v1", kind: object.key.kind)
      try await client.delete(
        resource, namespace: object.key.namespace.isEmpty ? nil : object.key.namespace,
        name: object.key.name, propagationPolicy: .background,
        preconditionUID: live["metadata"]?["uid"]?.stringValue)
    } catch let error as KubeError where error.isNotFound {
      // Deleted meanwhile: the goal is reached.
    } catch let error as KubeError {
      throw GitOpsError.pruneFailed(object.key, error)
    }
    progress(.pruned(object.key))
  }

  /// The error a failed attempt reports: cancellation as ``GitOpsError/cancelled(applied:)``.
  static func syncFailure(_ error: any Error, state: SyncProgressState) -> any Error {
    if error is CancellationError { return GitOpsError.cancelled(applied: state.applied) }
    return error
  }

  /// Whether another attempt may succeed: the cluster refused or failed, not the input.
  static func isRetryable(_ error: any Error) -> Bool {
    switch error {
    case let error as GitOpsError:
      switch error {
      case .applyFailed(_, _, let cause), .pruneFailed(_, let cause),
        .hookDeletionFailed(_, let cause):
        return isTransient(cause)
      case .degraded, .healthTimeout, .hookDeletionTimeout: return true
      default: return false
      }
    case let error as KubeError: return isTransient(error)
    default: return false
    }
  }

  /// Whether the API may accept the same request later: a conflict with another writer (409),
  /// throttling (429), a server failure (5xx) or no answer at all. A refusal of the request itself
  /// (400, 403, 404, 422: an invalid object, a missing permission) fails the same way every time.
  static func isTransient(_ error: KubeError) -> Bool {
    let code: Int? =
      switch error {
      case .api(let status, _, _), .watchFailed(let status): status.code
      case .http(let code, _, _, _): code
      case .transport: nil
      case .decoding, .unknownResource, .invalidObject, .credentials: 400
      }
    guard let code else { return true }
    return code == 409 || code == 429 || code >= 500
  }

  private func record(
    _ desired: DesiredState, result: String, message: String?, started: Date, trigger: String
  ) async throws -> Int {
    try await history(of: desired.environment).record(
      revision: desired.revision, images: desired.images, result: result, message: message,
      startedAt: started, finishedAt: Date(), trigger: trigger)
  }

  /// Records a failed or cancelled sync even when the calling task is cancelled (an unstructured
  /// task does not inherit the cancellation), unless the write gate refuses (a lost lease).
  private func recordUncancelled(
    _ desired: DesiredState, error: any Error, started: Date, _ state: SyncProgressState,
    trigger: String
  ) async throws {
    let result =
      if case GitOpsError.cancelled = error { SyncHistory.cancelled } else { SyncHistory.failed }
    let message = "\(error)"
    try await Task {
      try await state.gate?()
      _ = try await record(
        desired, result: result, message: message, started: started, trigger: trigger)
    }.value
  }
}
