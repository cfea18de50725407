import YAML

/// What a request asks to do, parsed from its path alone as kube-apiserver's `RequestInfoFactory`
/// does before authorizing it: the real server authorizes a request before it knows whether the
/// resource exists, so a service account without rights on a resource that is not served gets
/// 403, not 404.
struct KubeAPIServerRequestInfo {
  /// A request under `/api/VERSION/RESOURCE...` or `/apis/GROUP/VERSION/RESOURCE...`; any other
  /// path (discovery, `/version`, `/openapi/v3`) is a non-resource request.
  var isResourceRequest = false
  /// `get list watch create update patch delete deletecollection`; for a non-resource request the
  /// lowercased HTTP method.
  var verb: String
  var path: String
  var group = ""
  var resource = ""
  var subresource = ""
  /// The namespace in the path; for a Namespace itself (`/api/v1/namespaces/x`) its own name,
  /// as the real server sets it, so a RoleBinding in `x` can grant access to namespace `x`.
  var namespace = ""
  /// The name in the path, or for list and watch the `metadata.name` a field selector requires.
  var name = ""

  init(method: String, path: String, query: [String: String]) {
    self.path = path
    verb = method.lowercased()
    var parts = path.split(separator: "/").map(String.init)
    guard parts.count >= 3, parts[0] == "api" || parts[0] == "apis" else { return }
    if parts[0] == "apis" {
      guard parts.count >= 4 else { return }
      group = parts[1]
      parts = Array(parts[3...])
    } else {
      parts = Array(parts[2...])
    }
    isResourceRequest = true
    switch method {
    case "POST": verb = "create"
    case "GET", "HEAD": verb = "get"
    case "PUT": verb = "update"
    case "PATCH": verb = "patch"
    case "DELETE": verb = "delete"
    default: verb = ""
    }
    if parts.first == "namespaces", parts.count > 1 {
      namespace = parts[1]
      // `status` and `finalize` are subresources of the Namespace, not resources inside it.
      if parts.count > 2, !["status", "finalize"].contains(parts[2]) {
        parts = Array(parts.dropFirst(2))
      }
    }
    if parts.count >= 3 { subresource = parts[2] }
    if parts.count >= 2 { name = parts[1] }
    resource = parts[0]
    if name.isEmpty, verb == "get" {
      verb =
        ["1", "t", "T", "true", "True", "TRUE"].contains(query["watch"] ?? "") ? "watch" : "list"
      for requirement in (query["fieldSelector"] ?? "").split(separator: ",")
      where !requirement.contains("!=") {
        guard let equals = requirement.range(of: "==") ?? requirement.range(of: "=") else {
          continue
        }
        if requirement[..<equals.lowerBound].trimmingSpaces == "metadata.name" {
          name = requirement[equals.upperBound...].trimmingSpaces
        }
      }
    }
    if name.isEmpty, verb == "delete" { verb = "deletecollection" }
  }

  /// `deployments/status` for a subresource, as RBAC rules and denial messages name it.
  var combinedResource: String { subresource.isEmpty ? resource : "\(resource)/\(subresource)" }
}

/// A user the server authenticated.
struct KubeAPIServerUser {
  var name: String
  var groups: [String]

  /// The namespace and name of a service account user (`system:serviceaccount:NS:NAME`).
  var serviceAccount: (namespace: String, name: String)? {
    let parts = name.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount",
      !parts[2].isEmpty, !parts[3].isEmpty
    else { return nil }
    return (String(parts[2]), String(parts[3]))
  }

  init(name: String) {
    self.name = name
    groups = []
    if let account = serviceAccount {
      groups = [
        "system:serviceaccounts", "system:serviceaccounts:\(account.namespace)",
        "system:authenticated",
      ]
    }
  }
}

/// RBAC, as kube-apiserver's RBAC authorizer decides it, for service-account users; other users
/// keep the server's permissive default and its `deny` rules.
extension KubeAPIServer {
  /// Non-resource paths every authenticated user may GET on a real cluster, through the default
  /// `system:discovery` and `system:public-info-viewer` ClusterRoles bound to
  /// `system:authenticated`.
  private static let discoveryPaths = [
    "/api", "/api/*", "/apis", "/apis/*", "/version", "/version/", "/openapi", "/openapi/*",
    "/healthz", "/livez", "/readyz",
  ]

  /// Nil when the request may go ahead, or the 403 the real server answers. Only service
  /// accounts are checked: the administrators, certificate users and anonymous users that tests
  /// use act as cluster admins, as they did before RBAC was emulated.
  func authorize(_ info: KubeAPIServerRequestInfo, user name: String) -> KubeAPIServerFailure? {
    let user = KubeAPIServerUser(name: name)
    guard user.serviceAccount != nil else { return nil }
    if !info.isResourceRequest, info.verb == "get",
      Self.discoveryPaths.contains(where: { Self.urlMatches($0, info.path) })
    {
      return nil
    }
    let (allowed, errors) = rbacAllows(info, user: user)
    if allowed { return nil }
    return .forbidden(info, user: name, reason: Self.rbacReason(errors))
  }

  /// The second check of a server-side apply that creates its object: the real server
  /// authorizes the PATCH as `patch`, then, when the object turns out not to exist, asks again
  /// for `create` and refuses with a message that carries only RBAC's reason.
  func authorizeCreateOnApply(_ info: KubeAPIServerRequestInfo, user name: String)
    throws(KubeAPIServerFailure)
  {
    let user = KubeAPIServerUser(name: name)
    guard user.serviceAccount != nil else { return }
    var create = info
    create.verb = "create"
    let (allowed, errors) = rbacAllows(create, user: user)
    if allowed { return }
    throw .forbiddenCreateOnUpdate(create, reason: Self.rbacReason(errors))
  }

  /// `RBAC: <errors>` when a binding for the user names a role that does not exist, as the
  /// real authorizer explains its denial; empty otherwise.
  private static func rbacReason(_ errors: [String]) -> String {
    if errors.isEmpty { return "" }
    return "RBAC: " + (errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]")
  }

  /// Visits the rules bound to the user as the RBAC authorizer does: ClusterRoleBindings first,
  /// then the RoleBindings of the request's namespace (which may reference a ClusterRole, whose
  /// rules then apply in that namespace only). Returns whether a rule allows the request and the
  /// errors met on the way (a binding naming a missing role).
  private func rbacAllows(_ info: KubeAPIServerRequestInfo, user: KubeAPIServerUser) -> (
    Bool, [String]
  ) {
    let group = "rbac.authorization.k8s.io"
    var errors: [String] = []
    let clusterRoles = state.objects["\(group)/clusterroles"] ?? [:]
    func rules(of reference: JSONValue?, bindingNamespace: String) -> [JSONValue]? {
      let name = reference?["name"]?.stringValue ?? ""
      switch reference?["kind"]?.stringValue {
      case "ClusterRole":
        if let role = clusterRoles[Self.objectKey(nil, name)] {
          return role["rules"]?.arrayValue ?? []
        }
        errors.append("clusterrole.\(group) \"\(name)\" not found")
      case "Role":
        if let role = state.objects["\(group)/roles"]?[Self.objectKey(bindingNamespace, name)] {
          return role["rules"]?.arrayValue ?? []
        }
        errors.append("role.\(group) \"\(name)\" not found")
      case let kind:
        errors.append("unsupported role reference kind: \"\(kind ?? "")\"")
      }
      return nil
    }
    func allows(_ binding: JSONValue, bindingNamespace: String) -> Bool {
      let subjects = binding["subjects"]?.arrayValue ?? []
      guard subjects.contains(where: { Self.applies($0, to: user, namespace: bindingNamespace) })
      else { return false }
      let found = rules(of: binding["roleRef"], bindingNamespace: bindingNamespace) ?? []
      return found.contains { Self.rule($0, allows: info) }
    }
    for key in (state.objects["\(group)/clusterrolebindings"] ?? [:]).keys.sorted() {
      let binding = state.objects["\(group)/clusterrolebindings"]![key]!
      if allows(binding, bindingNamespace: "") { return (true, []) }
    }
    if !info.namespace.isEmpty {
      let bindings = state.objects["\(group)/rolebindings"] ?? [:]
      for key in bindings.keys.sorted() where key.hasPrefix(info.namespace + "/") {
        if allows(bindings[key]!, bindingNamespace: info.namespace) { return (true, []) }
      }
    }
    return (false, errors)
  }

  /// Whether a binding's subject is the user. A ServiceAccount subject without a namespace means
  /// the binding's own namespace (and matches no one in a ClusterRoleBinding).
  private static func applies(_ subject: JSONValue, to user: KubeAPIServerUser, namespace: String)
    -> Bool
  {
    let name = subject["name"]?.stringValue ?? ""
    switch subject["kind"]?.stringValue {
    case "User": return user.name == name
    case "Group": return user.groups.contains(name)
    case "ServiceAccount":
      let accountNamespace =
        subject["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        ?? namespace
      guard !accountNamespace.isEmpty else { return false }
      return user.name == "system:serviceaccount:\(accountNamespace):\(name)"
    default: return false
    }
  }

  /// RBAC's `RuleAllows`: verbs, API groups, resources (`*`, `resource/subresource`,
  /// `*/subresource`) and resourceNames, which match only requests that name an object; or for
  /// a non-resource request, verbs and nonResourceURLs (exact, or a prefix ending in `*`).
  private static func rule(_ rule: JSONValue, allows info: KubeAPIServerRequestInfo) -> Bool {
    func strings(_ key: String) -> [String] {
      (rule[key]?.arrayValue ?? []).compactMap(\.stringValue)
    }
    let verbs = strings("verbs")
    guard verbs.contains("*") || verbs.contains(info.verb) else { return false }
    guard info.isResourceRequest else {
      return strings("nonResourceURLs").contains { urlMatches($0, info.path) }
    }
    let groups = strings("apiGroups")
    guard groups.contains("*") || groups.contains(info.group) else { return false }
    let resourceMatches = strings("resources").contains { resource in
      resource == "*" || resource == info.combinedResource
        || (!info.subresource.isEmpty && resource == "*/\(info.subresource)")
    }
    guard resourceMatches else { return false }
    let names = strings("resourceNames")
    return names.isEmpty || names.contains(info.name)
  }

  private static func urlMatches(_ pattern: String, _ path: String) -> Bool {
    if pattern == "*" || pattern == path { return true }
    return pattern.hasSuffix("*") && path.hasPrefix(String(pattern.dropLast()))
  }
}
