import YAML

extension HealthAssessor {
  /// A LoadBalancer Service is Progressing until the cloud published an address (IP or hostname);
  /// other Services have nothing to wait for.
  static func serviceHealth(_ service: HealthObject) -> HealthAssessment {
    guard service.string("spec", "type") == "LoadBalancer" else { return .healthy }
    return loadBalancerHealth(service, kind: "Service")
  }

  /// An Ingress is Healthy once its controller published an address in `status.loadBalancer`.
  static func ingressHealth(_ ingress: HealthObject) -> HealthAssessment {
    loadBalancerHealth(ingress, kind: "Ingress")
  }

  private static func loadBalancerHealth(_ object: HealthObject, kind: String) -> HealthAssessment {
    let addresses = object.array("status", "loadBalancer", "ingress").compactMap { entry in
      entry["ip"]?.stringValue ?? entry["hostname"]?.stringValue
    }
    guard !addresses.isEmpty else {
      return .progressing("Waiting for the load balancer to publish an address for the \(kind)")
    }
    return .healthy("Load balancer address: \(addresses.joined(separator: ", "))")
  }
}
