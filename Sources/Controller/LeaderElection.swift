import Foundation
import Kube
import Logging
import Synchronization
import YAML

/// Leader election over a `coordination.k8s.io/v1` Lease, as client-go's `leaderelection` package
/// does it, so two replicas are safe: only the leader syncs, both serve health and metrics.
///
/// - A candidate takes the lease when it is free or its holder has not renewed it for
///   `leaseDuration`, measured on the candidate's own clock from when it last saw the lease change
///   (never from the timestamps in the lease, so clock skew between nodes does not matter).
/// - The leader renews every `retryPeriod`; if it cannot renew within `renewDeadline` it stops
///   leading (before another candidate may take the lease, since `renewDeadline < leaseDuration`).
/// - Writes use the lease's resourceVersion, so two candidates cannot both win one round.
/// - On a clean shutdown the leader releases the lease so the other replica takes over at once.
public final class LeaderElector: Sendable {
  /// client-go's defaults: 15 s lease, 10 s renew deadline, 2 s retry.
  public struct Timing: Sendable {
    public var leaseDuration: Duration
    public var renewDeadline: Duration
    public var retryPeriod: Duration

    public init(
      leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
      retryPeriod: Duration = .seconds(2)
    ) {
      self.leaseDuration = leaseDuration
      self.renewDeadline = renewDeadline
      self.retryPeriod = retryPeriod
    }
  }

  public let client: KubeClient
  public let namespace: String
  public let name: String
  /// This candidate (the pod name in the cluster).
  public let identity: String
  public let timing: Timing
  private let logger: Logger
  private let state = Mutex<State>(State())

  private struct State {
    var isLeader = false
    var observedRecord: JSONValue?
    var observedAt: ContinuousClock.Instant?
    var watchers: [Int: AsyncStream<Bool>.Continuation] = [:]
    var nextWatcher = 0
    var attempted = false
  }

  public init(
    client: KubeClient, namespace: String, name: String = "tripgen-controller", identity: String,
    timing: Timing = Timing(), logger: Logger
  ) {
    self.client = client
    self.namespace = namespace
    self.name = name
    self.identity = identity
    self.timing = timing
    self.logger = logger
  }

  /// Whether this candidate leads now.
  public var isLeader: Bool { state.withLock { $0.isLeader } }

  /// Whether the first attempt to acquire the lease has been made (readiness of a standby).
  public var hasAttempted: Bool { state.withLock { $0.attempted } }

  /// Leadership changes, starting with the current state.
  public func changes() -> AsyncStream<Bool> {
    let (stream, continuation) = AsyncStream.makeStream(of: Bool.self)
    let id = state.withLock { state in
      let id = state.nextWatcher
      state.nextWatcher += 1
      state.watchers[id] = continuation
      continuation.yield(state.isLeader)
      return id
    }
    continuation.onTermination = { [weak self] _ in
      self?.state.withLock { _ = $0.watchers.removeValue(forKey: id) }
    }
    return stream
  }

  /// Campaigns and leads until the task is cancelled; then releases the lease if `release`.
  public func run(releaseOnCancel release: Bool = true) async {
    while !Task.isCancelled {
      // Candidate: try every retry period until the lease is ours.
      let acquired = await tryAcquireOrRenew()
      state.withLock { $0.attempted = true }
      guard acquired else {
        try? await Task.sleep(for: timing.retryPeriod)
        continue
      }
      setLeader(true)
      logger.notice("became the leader", metadata: ["lease": "\(namespace)/\(name)"])
      // Leader: renew every retry period; give up after the renew deadline without success.
      var lastRenew = ContinuousClock.now
      while !Task.isCancelled {
        try? await Task.sleep(for: timing.retryPeriod)
        if Task.isCancelled { break }
        if await renew(before: lastRenew + timing.renewDeadline) {
          lastRenew = ContinuousClock.now
        } else if ContinuousClock.now - lastRenew >= timing.renewDeadline {
          break
        }
      }
      setLeader(false)
      if Task.isCancelled { break }
      logger.warning("lost the lease", metadata: ["lease": "\(namespace)/\(name)"])
    }
    // From an unstructured task: this one is cancelled, and the client would not send the update.
    if release { await Task { await self.release() }.value }
  }

  /// One renewal that gives up at `deadline`, as client-go bounds renewals by the renew deadline: a
  /// request stuck on a slow API server must not keep this replica leading past it.
  private func renew(before deadline: ContinuousClock.Instant) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
      group.addTask { await self.tryAcquireOrRenew() }
      group.addTask {
        try? await Task.sleep(until: deadline)
        return false
      }
      let first = await group.next() ?? false
      group.cancelAll()
      return first
    }
  }

  private func setLeader(_ value: Bool) {
    state.withLock { state in
      guard state.isLeader != value else { return }
      state.isLeader = value
      for watcher in state.watchers.values { watcher.yield(value) }
    }
  }

  /// A `MicroTime` (`2006-01-02T15:04:05.000000Z`).
  private static func microTime(_ date: Date) -> String {
    let millis = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    return millis.hasSuffix("Z") ? millis.dropLast() + "000Z" : millis
  }

  private func leaseResource() async throws -> KubeAPIResource {
    try await client.resource(apiVersion: "coordination.k8s.io/v1", kind: "Lease")
  }

  /// One round of client-go's `tryAcquireOrRenew`.
  func tryAcquireOrRenew() async -> Bool {
    let now = Date()
    let seconds = Int(timing.leaseDuration.seconds.rounded(.up))
    do {
      let resource = try await leaseResource()
      guard let lease = try await client.getIfPresent(resource, namespace: namespace, name: name)
      else {
        let record: JSONValue = [
          "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
          "metadata": ["name": .string(name), "namespace": .string(namespace)],
          "spec": [
            "holderIdentity": .string(identity), "leaseDurationSeconds": .int(seconds),
            "acquireTime": .string(Self.microTime(now)),
            "renewTime": .string(Self.microTime(now)), "leaseTransitions": 0,
          ],
        ]
        let created = try await client.create(record)
        observe(created["spec"])
        return true
      }
      let spec = lease["spec"] ?? [:]
      let holder = spec["holderIdentity"]?.stringValue ?? ""
      // The holder's record changed since we last looked: restart our clock for it.
      let expired = state.withLock { state -> Bool in
        if state.observedRecord != spec {
          state.observedRecord = spec
          state.observedAt = ContinuousClock.now
        }
        guard let observedAt = state.observedAt else { return true }
        return ContinuousClock.now - observedAt >= timing.leaseDuration
      }
      if !holder.isEmpty, holder != identity, !expired { return false }
      var updated = lease
      var newSpec = spec
      newSpec.set(["holderIdentity"], .string(identity))
      newSpec.set(["leaseDurationSeconds"], .int(seconds))
      newSpec.set(["renewTime"], .string(Self.microTime(now)))
      if holder != identity {
        newSpec.set(["acquireTime"], .string(Self.microTime(now)))
        newSpec.set(["leaseTransitions"], .int((spec["leaseTransitions"]?.intValue ?? 0) + 1))
      }
      updated.set(["spec"], newSpec)
      let written = try await client.update(updated)
      observe(written["spec"])
      return true
    } catch {
      logger.debug("lease round failed", metadata: ["error": "\(error)"])
      return false
    }
  }

  private func observe(_ spec: JSONValue?) {
    state.withLock { state in
      state.observedRecord = spec
      state.observedAt = ContinuousClock.now
    }
  }

  /// Whether this candidate still holds the lease as the API server has it now: it leads, and the
  /// stored Lease names it. Asked before each write of a sync, so a replica whose lease was taken
  /// over stops writing at once instead of at its next renewal; a failed read counts as not leading.
  public func confirm() async -> Bool {
    guard isLeader else { return false }
    do {
      let resource = try await leaseResource()
      let lease = try await client.getIfPresent(resource, namespace: namespace, name: name)
      if lease?["spec"]?["holderIdentity"]?.stringValue == identity { return true }
      setLeader(false)
      logger.warning("the lease names another holder", metadata: ["lease": "\(namespace)/\(name)"])
      return false
    } catch {
      return false
    }
  }

  /// Gives the lease up (holder cleared, as client-go's `ReleaseOnCancel`), if we hold it.
  func release() async {
    do {
      let resource = try await leaseResource()
      guard var lease = try await client.getIfPresent(resource, namespace: namespace, name: name),
        lease["spec"]?["holderIdentity"]?.stringValue == identity
      else { return }
      lease.set(["spec", "holderIdentity"], .string(""))
      lease.set(["spec", "leaseDurationSeconds"], .int(1))
      _ = try await client.update(lease)
      logger.notice("released the lease", metadata: ["lease": "\(namespace)/\(name)"])
    } catch {
      logger.warning("could not release the lease", metadata: ["error": "\(error)"])
    }
  }
}
