import Environments
import Foundation
import Helm
import YAML

/// Validates every rendered object against the Kubernetes 1.29 schemas, strictly: an unknown field is
/// an error, as with `kubernetes-validate --strict`. Each finding names the object, the template it
/// came from and the field path.
public enum SchemaCheck {
  public static func run(_ objects: [RenderedObject]) -> [CheckFinding] {
    var findings: [CheckFinding] = []
    for rendered in objects {
      let apiVersion = rendered.object["apiVersion"]?.stringValue ?? ""
      guard
        let validator = KubernetesSchemas.validator(apiVersion: apiVersion, kind: rendered.key.kind)
      else {
        findings.append(
          CheckFinding(
            check: .schema, severity: .error, object: rendered.key.displayName,
            source: rendered.source, field: "apiVersion",
            message:
              "no Kubernetes \(KubernetesSchemas.kubernetesVersion) schema for kind "
              + "\(rendered.key.kind) in \(apiVersion.isEmpty ? "(no apiVersion)" : apiVersion); "
              + "check the apiVersion (validated kinds: \(KubernetesSchemas.kinds.joined(separator: ", ")))"
          ))
        continue
      }
      var seen: Set<String> = []
      for violation in leaves(validator.validate(rendered.object)) {
        let (field, message) = describe(violation)
        guard seen.insert(field + "\u{0}" + message).inserted else { continue }
        findings.append(
          CheckFinding(
            check: .schema, severity: .error, object: rendered.key.displayName,
            source: rendered.source, field: field, message: message))
      }
    }
    return findings
  }

  private static func leaves(_ violations: [SchemaViolation]) -> [SchemaViolation] {
    violations.flatMap { $0.causes.isEmpty ? [$0] : leaves($0.causes) }
  }

  /// The field as people write it (`spec.template.spec.containers[0].image`) and the message; an
  /// unknown field is named in the path, not only in the message.
  static func describe(_ violation: SchemaViolation) -> (field: String, message: String) {
    var parts = violation.path.split(separator: "/", omittingEmptySubsequences: true).map {
      $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
    var message = violation.message
    if message.hasPrefix("additional properties") || message.hasPrefix("additional property") {
      let names = message.split(separator: "'").enumerated().filter { $0.offset % 2 == 1 }
        .map { String($0.element) }
      if names.count == 1 {
        parts.append(names[0])
        message =
          "unknown field \"\(names[0])\" (Kubernetes \(KubernetesSchemas.kubernetesVersion) does not define it here; check its spelling and place)"
      } else {
        message =
          "unknown fields \(names.map { "\"\($0)\"" }.joined(separator: ", ")) (Kubernetes \(KubernetesSchemas.kubernetesVersion) does not define them here)"
      }
    }
    return (fieldPath(parts), message)
  }

  /// `["spec", "containers", "0", "image"]` as `spec.containers[0].image`.
  static func fieldPath(_ parts: [String]) -> String {
    var text = ""
    for part in parts {
      if Int(part) != nil {
        text += "[\(part)]"
      } else {
        text += text.isEmpty ? part : ".\(part)"
      }
    }
    return text.isEmpty ? "(object)" : text
  }
}
