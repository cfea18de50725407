import Environments
import YAML

/// The environment's rules, each failure with the object (or file), its source and the field:
/// - images are pinned by digest or an explicit tag, never `latest` or untagged;
/// - every container and init container has CPU and memory requests and limits, requests no larger
///   than limits;
/// - containers of long-running workloads have readiness and liveness probes;
/// - no Secret with data is rendered from the repository, and no values file holds a
///   secret-looking value (`SecretValueScan`);
/// - every Service's pods are selected by a NetworkPolicy that governs their ingress.
public enum PolicyCheck {
  public static func run(_ objects: [RenderedObject]) -> [CheckFinding] {
    var findings: [CheckFinding] = []
    let templates = PodTemplate.all(in: objects)
    for template in templates {
      findings += containerFindings(template)
    }
    for rendered in objects where rendered.key.group.isEmpty && rendered.key.kind == "Secret" {
      let keys = ["data", "stringData"].flatMap { rendered.object[$0]?.objectValue?.keys ?? [] }
      if !keys.isEmpty {
        findings.append(
          CheckFinding(
            check: .policy, severity: .error, object: rendered.key.displayName,
            source: rendered.source, field: "data",
            message:
              "a Secret with data (\(keys.sorted().joined(separator: ", "))) is rendered from the "
              + "repository; secrets never go in Git: remove it from the chart and create it with "
              + "`tripgen secrets apply`"))
      }
    }
    findings += networkPolicyFindings(objects, templates: templates)
    return findings
  }

  private static func finding(
    _ template: PodTemplate, _ path: String, _ message: String
  ) -> CheckFinding {
    CheckFinding(
      check: .policy, severity: .error, object: template.object.key.displayName,
      source: template.object.source, field: path, message: message)
  }

  static func containerFindings(_ template: PodTemplate) -> [CheckFinding] {
    var findings: [CheckFinding] = []
    for (container, path, isInit) in template.containers {
      let name = container["name"]?.stringValue ?? "?"
      if let problem = imageProblem(container["image"]?.stringValue) {
        findings.append(finding(template, path + ".image", "container \(name): \(problem)"))
      }
      for kind in ["requests", "limits"] {
        let missing = ["cpu", "memory"].filter { container["resources"]?[kind]?[$0] == nil }
        if !missing.isEmpty {
          findings.append(
            finding(
              template, path + ".resources.\(kind)",
              "container \(name) has no \(missing.joined(separator: " or ")) \(kind); every "
                + "container needs requests (for scheduling) and limits (so one pod cannot starve "
                + "the node)"))
        }
      }
      for resource in ["cpu", "memory"] {
        guard
          let request = container["resources"]?["requests"]?[resource].flatMap(
            ResourceQuantity.parse),
          let limit = container["resources"]?["limits"]?[resource].flatMap(ResourceQuantity.parse),
          request > limit
        else { continue }
        findings.append(
          finding(
            template, path + ".resources.requests.\(resource)",
            "container \(name) requests more \(resource) than its limit; the API server rejects "
              + "such a pod"))
      }
      if template.isLongRunning, !isInit {
        for probe in ["readinessProbe", "livenessProbe"] where container[probe] == nil {
          findings.append(
            finding(
              template, path + ".\(probe)",
              "container \(name) has no \(probe); without it Kubernetes "
                + (probe == "readinessProbe"
                  ? "sends traffic before the service is ready"
                  : "never restarts a hung service")))
        }
      }
    }
    return findings
  }

  /// Why an image reference is not pinned, or nil when it has a digest or an explicit tag.
  public static func imageProblem(_ image: String?) -> String? {
    guard let image, !image.isEmpty else { return "has no image" }
    if image.contains("@sha256:") { return nil }
    let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
    guard let colon = lastComponent.lastIndex(of: ":") else {
      return "image \(image) has no tag, which means latest; pin a digest or an explicit tag"
    }
    let tag = lastComponent[lastComponent.index(after: colon)...]
    if tag.isEmpty { return "image \(image) has an empty tag; pin a digest or an explicit tag" }
    if tag == "latest" {
      return "image \(image) uses the latest tag, which moves; pin a digest or an explicit tag"
    }
    return nil
  }

  /// Every Service that selects pods must have a NetworkPolicy in its namespace that selects those
  /// pods and governs their ingress.
  static func networkPolicyFindings(_ objects: [RenderedObject], templates: [PodTemplate])
    -> [CheckFinding]
  {
    let policies = objects.filter {
      $0.key.group == "networking.k8s.io" && $0.key.kind == "NetworkPolicy"
    }
    var findings: [CheckFinding] = []
    for service in objects where service.key.group.isEmpty && service.key.kind == "Service" {
      guard let selector = service.object["spec"]?["selector"],
        !(selector.objectValue ?? [:]).isEmpty
      else { continue }
      let serviceSelector = LabelSelector.service(selector)
      let pods = templates.filter {
        $0.object.key.namespace == service.key.namespace && serviceSelector.matches($0.labels)
      }
      // The pods' labels, or the selector's own labels when no rendered workload matches it.
      let labelSets =
        pods.isEmpty
        ? [
          Dictionary(
            uniqueKeysWithValues: (selector.objectValue ?? [:]).compactMap { key, value in
              value.stringValue.map { (key, $0) }
            })
        ]
        : pods.map(\.labels)
      let covered = labelSets.allSatisfy { labels in
        policies.contains { policy in
          policy.key.namespace == service.key.namespace && governsIngress(policy.object)
            && LabelSelector(selector: policy.object["spec"]?["podSelector"] ?? [:]).matches(labels)
        }
      }
      if !covered {
        findings.append(
          CheckFinding(
            check: .policy, severity: .error, object: service.key.displayName,
            source: service.source, field: "spec.selector",
            message:
              "no NetworkPolicy selects this Service's pods for Ingress, so any pod in the cluster "
              + "can reach them; add a policy whose podSelector matches "
              + (selector.objectValue ?? [:]).map { "\($0.key)=\($0.value.stringValue ?? "")" }
              .joined(separator: ",")))
      }
    }
    return findings
  }

  /// Whether a NetworkPolicy restricts ingress: `policyTypes` names Ingress, or (absent) it has
  /// ingress rules or no egress rules, as Kubernetes defaults it.
  private static func governsIngress(_ policy: JSONValue) -> Bool {
    let spec = policy["spec"]
    if let types = spec?["policyTypes"]?.arrayValue {
      return types.contains { $0.stringValue == "Ingress" }
    }
    return true
  }
}
