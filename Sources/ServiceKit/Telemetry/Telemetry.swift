import Foundation
import Metrics
import Prometheus

/// The process's metrics: swift-metrics backed by one Prometheus registry, which
/// `/actuator/prometheus` renders. Bootstrapped once per process (swift-metrics allows one backend), so
/// several services built in one test process share it.
public enum Telemetry {
  /// The registry every metric of this process lands in.
  public static let registry = PrometheusCollectorRegistry()

  private static let bootstrapped: Void = {
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
  }()

  private static let residentGauge: Metrics.Gauge = {
    bootstrap()
    return Metrics.Gauge(label: "process_resident_memory_bytes")
  }()
  private static let virtualGauge: Metrics.Gauge = {
    bootstrap()
    return Metrics.Gauge(label: "process_virtual_memory_bytes")
  }()

  /// Installs the Prometheus backend (idempotent).
  public static func bootstrap() {
    _ = bootstrapped
  }

  /// The Prometheus text exposition of every metric, after refreshing the process gauges.
  public static func exposition() -> String {
    bootstrap()
    if let resident = ProcessMemory.residentBytes() {
      residentGauge.record(resident)
    }
    if let virtual = ProcessMemory.virtualBytes() {
      virtualGauge.record(virtual)
    }
    return registry.emitToString()
  }
}

/// The process's memory, read from /proc/self/statm (Linux).
public enum ProcessMemory {
  /// Resident set size in bytes, or nil where /proc is unavailable.
  public static func residentBytes() -> Int? { statm(field: 1) }
  /// Virtual size in bytes.
  public static func virtualBytes() -> Int? { statm(field: 0) }

  private static func statm(field: Int) -> Int? {
    guard let data = FileManager.default.contents(atPath: "/proc/self/statm"),
      let text = String(data: data, encoding: .utf8)
    else { return nil }
    let fields = text.split(separator: " ")
    guard fields.count > field, let pages = Int(fields[field]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  }
}
