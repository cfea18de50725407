import Foundation
import Metrics
import Prometheus
import Synchronization

/// The controller's metrics: swift-metrics over a Prometheus registry of its own (not the process-wide
/// bootstrap), so two controllers in one test process keep separate counts. `/metrics` renders
/// ``exposition()``.
///
/// Names follow Prometheus conventions (`_total` counters, `_seconds` durations, an `_info` gauge
/// for the deployed revision, as Argo CD's `argocd_app_info`).
public final class ControllerMetrics: Sendable {
  /// The registry `/metrics` renders.
  public let registry: PrometheusCollectorRegistry
  private let factory: PrometheusMetricsFactory
  private let dynamic = Mutex<DynamicGauges>(DynamicGauges())

  private struct DynamicGauges {
    /// environment → the revision info gauge currently exported.
    var revision: [String: Metrics.Gauge] = [:]
    /// environment → (health, sync) → gauge.
    var objects: [String: [String: Metrics.Gauge]] = [:]
  }

  public init() {
    registry = PrometheusCollectorRegistry()
    var factory = PrometheusMetricsFactory(registry: registry)
    // Syncs wait for rollouts: buckets up to 10 minutes, not the default 10 seconds.
    let long: [Duration] = [
      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2),
      .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
      .seconds(600),
    ]
    factory.durationHistogramBuckets["tripgen_controller_reconcile_duration_seconds"] = long
    self.factory = factory
    Metrics.Gauge(label: "tripgen_controller_leader", factory: factory).record(0)
  }

  /// One reconcile (a sync or a self-heal) finished with `outcome`.
  public func recordReconcile(environment: String, outcome: SyncOutcome.Result, duration: Duration)
  {
    Counter(
      label: "tripgen_controller_reconciles_total", dimensions: [("environment", environment)],
      factory: factory
    ).increment()
    Timer(
      label: "tripgen_controller_reconcile_duration_seconds",
      dimensions: [("environment", environment)], factory: factory
    ).recordNanoseconds(duration.nanoseconds)
    Counter(
      label: "tripgen_controller_sync_results_total",
      dimensions: [("environment", environment), ("outcome", outcome.rawValue)], factory: factory
    ).increment()
  }

  /// The revision the environment is synced to (a gauge of 1 labelled with it; the previous
  /// revision's series is removed).
  public func recordRevision(environment: String, revision: String, branch: String) {
    let gauge = Metrics.Gauge(
      label: "tripgen_controller_revision_info",
      dimensions: [("environment", environment), ("revision", revision), ("branch", branch)],
      factory: factory)
    gauge.record(1)
    let old = dynamic.withLock { state in
      defer { state.revision[environment] = gauge }
      return state.revision[environment]
    }
    if let old, old !== gauge { old.destroy() }
  }

  /// How many objects of the environment are in each health and sync status.
  public func recordObjects(environment: String, counts: [ObjectCountKey: Int]) {
    dynamic.withLock { state in
      var gauges = state.objects[environment] ?? [:]
      for (id, gauge) in gauges {
        if !counts.keys.contains(where: { $0.id == id }) {
          gauge.record(0)
          gauges[id] = gauge
        }
      }
      for (key, count) in counts {
        let gauge =
          gauges[key.id]
          ?? Metrics.Gauge(
            label: "tripgen_controller_objects",
            dimensions: [
              ("environment", environment), ("health", key.health), ("sync_status", key.sync),
            ], factory: factory)
        gauge.record(count)
        gauges[key.id] = gauge
      }
      state.objects[environment] = gauges
    }
  }

  /// One Git fetch and whether it succeeded.
  public func recordGitFetch(duration: Duration, succeeded: Bool) {
    Timer(
      label: "tripgen_controller_git_fetch_duration_seconds",
      dimensions: [("result", succeeded ? "success" : "failure")], factory: factory
    ).recordNanoseconds(duration.nanoseconds)
  }

  /// One call to an image registry (a digest lookup) made for a sync.
  public func recordRegistryCall(duration: Duration, succeeded: Bool) {
    Timer(
      label: "tripgen_controller_registry_call_duration_seconds",
      dimensions: [("result", succeeded ? "success" : "failure")], factory: factory
    ).recordNanoseconds(duration.nanoseconds)
  }

  /// One webhook delivery and what became of it.
  public func recordWebhook(result: WebhookResult) {
    Counter(
      label: "tripgen_controller_webhook_deliveries_total",
      dimensions: [("result", result.rawValue)], factory: factory
    ).increment()
  }

  /// Whether this replica holds the leader lease.
  public func recordLeader(_ isLeader: Bool) {
    Metrics.Gauge(label: "tripgen_controller_leader", factory: factory).record(isLeader ? 1 : 0)
  }

  /// The Prometheus text exposition, with the process's resident memory refreshed.
  public func exposition() -> String {
    if let resident = ProcessStatistics.residentBytes() {
      Metrics.Gauge(label: "process_resident_memory_bytes", factory: factory).record(resident)
    }
    if let cpu = ProcessStatistics.cpuSeconds() {
      Metrics.Gauge(label: "process_cpu_seconds_total", factory: factory).record(cpu)
    }
    return registry.emitToString()
  }
}

/// A health and sync status pair, the labels of the objects gauge.
public struct ObjectCountKey: Sendable, Hashable {
  public var health: String
  public var sync: String

  public init(health: String, sync: String) {
    self.health = health
    self.sync = sync
  }

  var id: String { "\(health)/\(sync)" }
}

/// What became of a webhook delivery (the `result` label).
public enum WebhookResult: String, Sendable {
  /// A push for a watched repository and branch: a fetch was requested.
  case accepted
  /// A ping, answered.
  case ping
  /// Another event, or a push for another repository or branch.
  case ignored
  /// A missing or wrong signature.
  case unauthorized
  /// A signed body that could not be read.
  case invalid
}

extension Duration {
  /// The duration in whole nanoseconds.
  var nanoseconds: Int64 {
    components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
  }
}
