/// Which of `tripgen check`'s checks found something.
public enum CheckKind: String, Sendable, Codable, CaseIterable {
  /// Kubernetes schema validation of every rendered object.
  case schema
  /// Requests and pods against the node pool.
  case capacity
  /// The monthly cost against the budget.
  case cost
  /// Images, resources, probes, secrets and network policies.
  case policy
}

/// One thing a check found: an error fails the check (exit 1), a warning is printed only.
public struct CheckFinding: Sendable, Equatable, Codable, CustomStringConvertible {
  public enum Severity: String, Sendable, Codable {
    case error
    case warning
  }

  public var check: CheckKind
  public var severity: Severity
  /// The object concerned (`Deployment tripgen-dev/user-service`), when there is one.
  public var object: String?
  /// The template or file it came from (`tripgen/charts/user-service/templates/deployment.yaml`, or
  /// `environments/dev/values.yaml:12`).
  public var source: String?
  /// The field path inside the object or file (`spec.template.spec.containers[0].resources`).
  public var field: String?
  /// What is wrong and what to do.
  public var message: String

  public init(
    check: CheckKind, severity: Severity, object: String? = nil, source: String? = nil,
    field: String? = nil, message: String
  ) {
    self.check = check
    self.severity = severity
    self.object = object
    self.source = source
    self.field = field
    self.message = message
  }

  /// `error: Deployment tripgen-dev/user-service (from …/deployment.yaml): field: message`.
  public var description: String {
    var text = "\(severity.rawValue): "
    if let object { text += object }
    if let source { text += object == nil ? source : " (from \(source))" }
    if object != nil || source != nil { text += ": " }
    if let field { text += "\(field): " }
    return text + message
  }
}
