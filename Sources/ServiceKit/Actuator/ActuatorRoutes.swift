import Hummingbird

/// The Spring-Boot-style actuator endpoints the chart's probes call.
///
/// - `/actuator/health`: every component; 503 when one is down.
/// - `/actuator/health/readiness`: the same checks (PostgreSQL and Redis reachable); 503 names the
///   failing component, so Kubernetes stops routing to a pod that cannot serve.
/// - `/actuator/health/liveness`: the process answers HTTP; no dependency checks, so an outage of
///   PostgreSQL does not make Kubernetes restart every pod.
/// - `/actuator/prometheus`: the metrics in Prometheus text format.
public enum ActuatorRoutes {
  public static func add(to router: Router<ServiceRequestContext>, checks: [HealthCheck]) {
    let actuator = router.group("actuator")
    actuator.get("health") { _, _ in try await Self.healthResponse(checks) }
    actuator.get("health/readiness") { _, _ in try await Self.healthResponse(checks) }
    actuator.get("health/liveness") { _, _ in
      try jsonResponse(HealthReport(status: .up, components: nil), status: .ok)
    }
    actuator.get("prometheus") { _, _ in
      Response(
        status: .ok,
        headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: Telemetry.exposition())))
    }
  }

  static func healthResponse(_ checks: [HealthCheck]) async throws -> Response {
    let report = await HealthReport.run(checks)
    return try jsonResponse(report, status: report.status == .up ? .ok : .serviceUnavailable)
  }
}
