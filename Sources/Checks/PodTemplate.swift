import Environments
import YAML

/// The pods a rendered workload runs: its pod template, how many pods, and whether it runs once as a
/// Helm hook rather than all the time.
public struct PodTemplate: Sendable {
  /// The workload object.
  public var object: RenderedObject
  /// The pod spec (`spec.template.spec`, or `spec` for a bare Pod).
  public var spec: JSONValue
  /// The field path of `spec`, for messages.
  public var specPath: String
  /// The pod's labels.
  public var labels: [String: String]
  /// Pods at once: replicas, parallelism, or 1; DaemonSets run one per node (`perNode`).
  public var pods: Int
  /// One pod on every node (a DaemonSet).
  public var perNode: Bool
  /// A Helm hook (`helm.sh/hook`): it runs once, in order with the other hooks, not all the time.
  public var isHook: Bool
  /// Pods that run all the time and serve (Deployments, StatefulSets, DaemonSets, ReplicaSets),
  /// which need probes; Jobs and hooks run to completion.
  public var isLongRunning: Bool

  /// The pod templates of the objects that run pods, in the objects' order.
  public static func all(in objects: [RenderedObject]) -> [PodTemplate] {
    objects.compactMap { PodTemplate(object: $0) }
  }

  init?(object rendered: RenderedObject) {
    let object = rendered.object
    let spec = object["spec"]
    let template: JSONValue?
    var path = "spec.template"
    var pods = 1
    switch rendered.key.kind {
    case "Deployment", "StatefulSet", "ReplicaSet":
      template = spec?["template"]
      pods = spec?["replicas"]?.intValue ?? 1
    case "DaemonSet":
      template = spec?["template"]
    case "Job":
      template = spec?["template"]
      pods = spec?["parallelism"]?.intValue ?? 1
    case "CronJob":
      template = spec?["jobTemplate"]?["spec"]?["template"]
      path = "spec.jobTemplate.spec.template"
      pods = spec?["jobTemplate"]?["spec"]?["parallelism"]?.intValue ?? 1
    case "Pod":
      template = object
      path = ""
    default:
      return nil
    }
    guard let template, let podSpec = template["spec"] else { return nil }
    self.object = rendered
    self.spec = podSpec
    self.specPath = path.isEmpty ? "spec" : path + ".spec"
    var labels: [String: String] = [:]
    for (key, value) in template["metadata"]?["labels"]?.objectValue ?? [:] {
      if let text = value.stringValue { labels[key] = text }
    }
    self.labels = labels
    self.pods = pods
    self.perNode = rendered.key.kind == "DaemonSet"
    self.isHook = object["metadata"]?["annotations"]?["helm.sh/hook"] != nil
    self.isLongRunning =
      ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].contains(rendered.key.kind)
      && !isHook
  }

  /// Every container with its field path: init containers first, as the kubelet starts them.
  public var containers: [(container: JSONValue, path: String, isInit: Bool)] {
    var result: [(JSONValue, String, Bool)] = []
    for (field, isInit) in [("initContainers", true), ("containers", false)] {
      for (index, container) in (spec[field]?.arrayValue ?? []).enumerated() {
        result.append((container, "\(specPath).\(field)[\(index)]", isInit))
      }
    }
    return result
  }

  /// One pod's effective requests or limits (`resources.requests`/`resources.limits`) in cores and
  /// bytes, as the scheduler counts them: the larger of the sum over the containers and the largest
  /// init container (init containers run one at a time, before the others). A container with a
  /// limit and no request requests its limit, as the API server defaults it.
  public func effective(_ kind: String) -> (cpu: Double, memory: Double) {
    var sum = (cpu: 0.0, memory: 0.0)
    var initMax = (cpu: 0.0, memory: 0.0)
    for (container, _, isInit) in containers {
      func quantity(_ resource: String) -> Double {
        let resources = container["resources"]
        let value =
          resources?[kind]?[resource]
          ?? (kind == "requests" ? resources?["limits"]?[resource] : nil)
        return value.flatMap(ResourceQuantity.parse) ?? 0
      }
      let cpu = quantity("cpu")
      let memory = quantity("memory")
      if isInit {
        initMax = (max(initMax.cpu, cpu), max(initMax.memory, memory))
      } else {
        sum = (sum.cpu + cpu, sum.memory + memory)
      }
    }
    return (max(sum.cpu, initMax.cpu), max(sum.memory, initMax.memory))
  }
}
