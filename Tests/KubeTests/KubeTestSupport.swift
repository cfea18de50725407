import Foundation
import Kube
import TestSupport
import YAML

/// Starts a test API server, runs the body, stops the server.
func withServer<T>(
  _ options: KubeAPIServer.Options = .init(), _ body: (KubeAPIServer) async throws -> T
) async throws -> T {
  let server = try await KubeAPIServer(options: options)
  do {
    let result = try await body(server)
    await server.stop()
    return result
  } catch {
    await server.stop()
    throw error
  }
}

/// A client of a plain-HTTP test server, without rate limiting unless asked.
func makeClient(
  _ server: KubeAPIServer, namespace: String = "default", qps: Double = 0,
  authentication: KubeAuthentication = .none
) -> KubeClient {
  var configuration = KubeClientConfiguration(
    server: server.url, authentication: authentication, namespace: namespace)
  configuration.queriesPerSecond = qps
  return KubeClient(configuration: configuration, transport: KubeHTTPTransport())
}

/// Raw HTTP against the server, to test the server apart from the client.
struct RawAPI {
  let server: KubeAPIServer
  let transport = KubeHTTPTransport()
  var userAgent = "kubectl/v1.29.0"

  @discardableResult
  func call(
    _ method: String, _ path: String, _ body: JSONValue? = nil,
    contentType: String = "application/json", headers: [(name: String, value: String)] = []
  ) async throws -> (status: Int, body: JSONValue) {
    var allHeaders = headers + [(name: "User-Agent", value: userAgent)]
    if body != nil { allHeaders.append((name: "Content-Type", value: contentType)) }
    let response = try await transport.send(
      KubeRequest(
        method: method, url: server.url + path, headers: allHeaders, body: body.map(KubeJSON.encode)
      ))
    let value = response.body.isEmpty ? JSONValue.null : try KubeJSON.decode(response.body)
    return (response.status, value)
  }

  /// Sends a server-side apply of `object` as `manager`.
  @discardableResult
  func apply(
    _ path: String, _ object: JSONValue, manager: String, force: Bool = false, dryRun: Bool = false,
    headers: [(name: String, value: String)] = []
  ) async throws -> (status: Int, body: JSONValue) {
    var query = "?fieldManager=\(manager)"
    if force { query += "&force=true" }
    if dryRun { query += "&dryRun=All" }
    return try await call(
      "PATCH", path + query, object, contentType: "application/apply-patch+yaml", headers: headers)
  }
}

/// A Deployment with one container, as charts render them.
func deployment(
  _ name: String, namespace: String = "default", replicas: Int? = 2, image: String = "nginx:1.25",
  labels: JSONValue = ["app": "web"]
) -> JSONValue {
  var spec: JSONValue = [
    "selector": ["matchLabels": ["app": .string(name)]],
    "template": [
      "metadata": ["labels": ["app": .string(name)]],
      "spec": ["containers": [["name": "app", "image": .string(image)]]],
    ],
  ]
  if let replicas {
    guard case .object(var fields) = spec else { return spec }
    fields.updateValue(.int(replicas), forKey: "replicas", insertingAt: 0)
    spec = .object(fields)
  }
  return [
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labels],
    "spec": spec,
  ]
}

func configMap(
  _ name: String, namespace: String = "default", data: JSONValue = ["k": "v"],
  labels: JSONValue = [:]
)
  -> JSONValue
{
  [
    "apiVersion": "v1", "kind": "ConfigMap",
    "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labels],
    "data": data,
  ]
}

extension JSONValue {
  /// The value at a dotted path of object keys.
  func at(_ path: String) -> JSONValue? {
    var current: JSONValue? = self
    for key in path.split(separator: ".") { current = current?[String(key)] }
    return current
  }
}

extension JSONValue {
  /// A copy of this object with `key` set (or removed, for nil).
  func with(_ key: String, _ value: JSONValue?) -> JSONValue {
    guard case .object(var object) = self else { return self }
    object[key] = value
    return .object(object)
  }

  /// A copy with the value at a path of keys set, creating objects on the way.
  func with(_ path: [String], _ value: JSONValue?) -> JSONValue {
    guard let first = path.first else { return value ?? .null }
    if path.count == 1 { return with(first, value) }
    return with(first, (self[first] ?? [:]).with(Array(path.dropFirst()), value))
  }
}

/// One RBAC rule: `verbs` on `resources` of an API group, optionally only the named objects.
func rule(
  _ verbs: [String], _ resources: [String], group: String = "", names: [String] = []
) -> JSONValue {
  var rule: JSONValue = [
    "apiGroups": [.string(group)], "resources": .array(resources.map { .string($0) }),
    "verbs": .array(verbs.map { .string($0) }),
  ]
  if !names.isEmpty { rule = rule.with("resourceNames", .array(names.map { .string($0) })) }
  return rule
}

/// A ServiceAccount subject of a binding.
func serviceAccountSubject(_ namespace: String, _ name: String) -> JSONValue {
  ["kind": "ServiceAccount", "name": .string(name), "namespace": .string(namespace)]
}

/// A Role (with a namespace) or ClusterRole (without) holding `rules`.
func role(_ name: String, namespace: String? = nil, rules: [JSONValue]) -> JSONValue {
  var metadata: JSONValue = ["name": .string(name)]
  if let namespace { metadata = metadata.with("namespace", .string(namespace)) }
  return [
    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": namespace == nil ? "ClusterRole" : "Role",
    "metadata": metadata, "rules": .array(rules),
  ]
}

/// A RoleBinding (with a namespace) or ClusterRoleBinding (without) of `subjects` to a Role or
/// ClusterRole (`roleKind`).
func binding(
  _ name: String, namespace: String? = nil, roleKind: String, role: String, subjects: [JSONValue]
) -> JSONValue {
  var metadata: JSONValue = ["name": .string(name)]
  if let namespace { metadata = metadata.with("namespace", .string(namespace)) }
  return [
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": namespace == nil ? "ClusterRoleBinding" : "RoleBinding", "metadata": metadata,
    "roleRef": [
      "apiGroup": "rbac.authorization.k8s.io", "kind": .string(roleKind), "name": .string(role),
    ],
    "subjects": .array(subjects),
  ]
}

/// Grants a service account `rules` in a namespace, with a Role and a RoleBinding both named
/// `name`, created through an administrator's client.
func grant(
  _ admin: KubeClient, _ rules: [JSONValue], to account: (namespace: String, name: String),
  in namespace: String, name: String = "granted"
) async throws {
  _ = try await admin.apply(role(name, namespace: namespace, rules: rules), fieldManager: "test")
  _ = try await admin.apply(
    binding(
      name, namespace: namespace, roleKind: "Role", role: name,
      subjects: [serviceAccountSubject(account.namespace, account.name)]), fieldManager: "test")
}

/// Creates a namespace through an administrator's client.
func createNamespace(_ admin: KubeClient, _ name: String) async throws {
  _ = try await admin.create([
    "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)],
  ])
}
