import Collections
import YAML

/// A failed request as kube-apiserver reports it: an HTTP code and a `metav1.Status` body shaped
/// like the one `k8s.io/apimachinery/pkg/api/errors` builds.
struct KubeAPIServerFailure: Error {
  var code: Int
  var reason: String
  var message: String
  var details: JSONValue?
  var headers: [(String, String)] = []

  var status: JSONValue {
    var object: OrderedDictionary<String, JSONValue> = [
      "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
      "message": .string(message), "reason": .string(reason),
    ]
    if let details { object["details"] = details }
    object["code"] = .int(code)
    return .object(object)
  }

  private static func details(
    name: String?, group: String, kind: String, causes: [JSONValue]? = nil
  ) -> JSONValue {
    var object: OrderedDictionary<String, JSONValue> = [:]
    if let name { object["name"] = .string(name) }
    object["group"] = .string(group)
    object["kind"] = .string(kind)
    if let causes { object["causes"] = .array(causes) }
    return .object(object)
  }

  static func notFound(_ resource: KubeAPIServerResource, name: String) -> Self {
    .init(
      code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found",
      details: details(name: name, group: resource.group, kind: resource.plural))
  }

  static func namespaceNotFound(_ namespace: String) -> Self {
    .init(
      code: 404, reason: "NotFound", message: "namespaces \"\(namespace)\" not found",
      details: details(name: namespace, group: "", kind: "namespaces"))
  }

  static func alreadyExists(_ resource: KubeAPIServerResource, name: String) -> Self {
    .init(
      code: 409, reason: "AlreadyExists",
      message: "\(resource.qualifiedName) \"\(name)\" already exists",
      details: details(name: name, group: resource.group, kind: resource.plural))
  }

  static func conflict(_ resource: KubeAPIServerResource, name: String, why: String) -> Self {
    .init(
      code: 409, reason: "Conflict",
      message: "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": \(why)",
      details: details(name: name, group: resource.group, kind: resource.plural))
  }

  static func staleResourceVersion(_ resource: KubeAPIServerResource, name: String) -> Self {
    conflict(
      resource, name: name,
      why:
        "the object has been modified; please apply your changes to the latest version and try again"
    )
  }

  /// One field error of an Invalid (422) response.
  struct FieldError {
    var field: String
    var value: String
    var detail: String
    var type = "FieldValueInvalid"
    var message: String { "Invalid value: \"\(value)\": \(detail)" }
  }

  static func invalid(_ resource: KubeAPIServerResource, name: String, errors: [FieldError]) -> Self
  {
    let list = errors.map { "\($0.field): \($0.message)" }
    let summary = list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]"
    let causes: [JSONValue] = errors.map {
      ["reason": .string($0.type), "message": .string($0.message), "field": .string($0.field)]
    }
    return .init(
      code: 422, reason: "Invalid",
      message: "\(resource.qualifiedKind) \"\(name)\" is invalid: \(summary)",
      details: details(name: name, group: resource.group, kind: resource.kind, causes: causes))
  }

  /// One refusal of `ListOptions` validation: the field, the cause's type and its text
  /// (`Forbidden: ...`, `Unsupported value: ...`).
  struct OptionError {
    var field: String
    var type: String
    var body: String
  }

  /// The 422 for query parameters that `ListOptions` validation refuses, as the apiserver's
  /// list and watch handler answers them (`ListOptions.meta.k8s.io "" is invalid: ...`).
  static func invalidListOptions(_ errors: [OptionError]) -> Self {
    let list = errors.map { "\($0.field): \($0.body)" }
    let summary = list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]"
    let causes: [JSONValue] = errors.map {
      ["reason": .string($0.type), "message": .string($0.body), "field": .string($0.field)]
    }
    return .init(
      code: 422, reason: "Invalid", message: "ListOptions.meta.k8s.io \"\" is invalid: \(summary)",
      details: details(name: "", group: "meta.k8s.io", kind: "ListOptions", causes: causes))
  }

  static func badRequest(_ message: String) -> Self {
    .init(code: 400, reason: "BadRequest", message: message)
  }

  static func methodNotAllowed(_ method: String) -> Self {
    .init(
      code: 405, reason: "MethodNotAllowed",
      message: "the server does not allow this method on the requested resource")
  }

  static func unsupportedMediaType(_ contentType: String) -> Self {
    .init(
      code: 415, reason: "UnsupportedMediaType",
      message: "the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, "
        + "application/apply-patch+yaml")
  }

  static let unauthorized = Self(code: 401, reason: "Unauthorized", message: "Unauthorized")

  /// The 403 of a denied request, worded as the apiserver's authorization filter words it
  /// (`responsewriters.Forbidden`): `deployments.apps "web" is forbidden: User "u" cannot patch
  /// resource "deployments" in API group "apps" in the namespace "ns"`, `... at the cluster
  /// scope`, or for a non-resource path `forbidden: User "u" cannot get path "/logs"`; RBAC's
  /// reason, when it has one, follows after a colon.
  static func forbidden(_ info: KubeAPIServerRequestInfo, user: String, reason: String = "")
    -> Self
  {
    var message: String
    if info.isResourceRequest {
      message =
        "User \"\(user)\" cannot \(info.verb) resource \"\(info.combinedResource)\" "
        + "in API group \"\(info.group)\""
      message +=
        info.namespace.isEmpty ? " at the cluster scope" : " in the namespace \"\(info.namespace)\""
    } else {
      message = "User \"\(user)\" cannot \(info.verb) path \"\(info.path)\""
    }
    if !reason.isEmpty { message += ": \(reason)" }
    return forbiddenStatus(info, message: message)
  }

  /// The 403 of a server-side apply (or create-on-update) whose object does not exist and whose
  /// user may patch but not create: the apiserver's `withAuthorization` puts only the
  /// authorizer's reason after the colon, which RBAC leaves empty when no binding is broken.
  static func forbiddenCreateOnUpdate(_ info: KubeAPIServerRequestInfo, reason: String) -> Self {
    forbiddenStatus(info, message: reason)
  }

  private static func forbiddenStatus(_ info: KubeAPIServerRequestInfo, message: String) -> Self {
    let qualified = info.group.isEmpty ? info.resource : "\(info.resource).\(info.group)"
    let subject: String
    if !info.isResourceRequest || qualified.isEmpty {
      subject = "forbidden"
    } else if info.name.isEmpty {
      subject = "\(qualified) is forbidden"
    } else {
      subject = "\(qualified) \"\(info.name)\" is forbidden"
    }
    return .init(
      code: 403, reason: "Forbidden", message: "\(subject): \(message)",
      details: details(
        name: info.name.isEmpty ? nil : info.name, group: info.group, kind: info.resource))
  }

  static func notFoundPath() -> Self {
    .init(
      code: 404, reason: "NotFound", message: "the server could not find the requested resource")
  }

  /// Server-side apply conflicts, worded like the apiserver's field manager
  /// (`Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas`).
  static func applyConflicts(_ conflicts: [(manager: String, path: String)]) -> Self {
    let message: String
    if conflicts.count == 1 {
      message =
        "Apply failed with 1 conflict: conflict with \(conflicts[0].manager): \(conflicts[0].path)"
    } else {
      var lines: [String] = []
      var managers: [String] = []
      for conflict in conflicts where !managers.contains(conflict.manager) {
        managers.append(conflict.manager)
      }
      for manager in managers.sorted() {
        lines.append("conflicts with \(manager):")
        for conflict in conflicts where conflict.manager == manager {
          lines.append("- \(conflict.path)")
        }
      }
      message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
    }
    let causes: [JSONValue] = conflicts.map {
      [
        "reason": "FieldManagerConflict", "message": .string("conflict with \($0.manager)"),
        "field": .string($0.path),
      ]
    }
    return .init(
      code: 409, reason: "Conflict", message: message, details: ["causes": .array(causes)])
  }

  static func expired(_ message: String) -> Self {
    .init(code: 410, reason: "Expired", message: message)
  }
}
