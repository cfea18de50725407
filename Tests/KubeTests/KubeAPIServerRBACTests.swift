import Foundation
import Kube
import TestSupport
import Testing
import YAML

/// The test server's RBAC for service accounts: a test notices a permission the code under test
/// needs and its chart does not grant, as a real cluster would.
@Suite struct KubeAPIServerRBACTests {
  private let account = (namespace: "tripgen-dev", name: "deployer")
  private let user = "system:serviceaccount:tripgen-dev:deployer"

  /// An administrator's client (anonymous is one, on the test server), and the raw API with the
  /// service account's token.
  private func setUp(_ server: KubeAPIServer) async throws -> (
    KubeClient, RawAPI,
    [(
      name: String, value: String
    )]
  ) {
    let admin = makeClient(server)
    try await createNamespace(admin, "tripgen-dev")
    let token = server.serviceAccountToken(namespace: account.namespace, name: account.name)
    return (admin, RawAPI(server: server), [(name: "Authorization", value: "Bearer \(token)")])
  }

  @Test func eachVerbIsGrantedOnItsOwn() async throws {
    try await withServer { server in
      let (admin, api, auth) = try await setUp(server)
      let base = "/api/v1/namespaces/tripgen-dev/configmaps"
      let existing = try await admin.create(configMap("existing", namespace: "tripgen-dev"))
      let verbs = [
        "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection",
      ]
      for granted in verbs {
        try await grant(admin, [rule([granted], ["configmaps"])], to: account, in: "tripgen-dev")
        _ = try? await admin.create(configMap("victim", namespace: "tripgen-dev"))
        var statuses: [String: Int] = [:]
        statuses["get"] = try await api.call("GET", "\(base)/existing", headers: auth).status
        statuses["list"] = try await api.call("GET", base, headers: auth).status
        statuses["watch"] = try await api.transport.stream(
          KubeRequest(
            method: "GET", url: server.url + base + "?watch=1&timeoutSeconds=5", headers: auth,
            timeout: nil)
        ).status
        statuses["create"] =
          try await api.call(
            "POST", base, configMap("new-\(granted)", namespace: "tripgen-dev"), headers: auth
          ).status
        statuses["update"] =
          try await api.call(
            "PUT", "\(base)/existing", existing.with("data", ["k": .string(granted)]),
            headers: auth
          ).status
        statuses["patch"] =
          try await api.call(
            "PATCH", "\(base)/existing", ["data": ["p": .string(granted)]],
            contentType: "application/merge-patch+json", headers: auth
          ).status
        statuses["delete"] = try await api.call("DELETE", "\(base)/victim", headers: auth).status
        statuses["deletecollection"] = try await api.call("DELETE", base, headers: auth).status
        for verb in verbs {
          // Allowed requests may still fail for other reasons (a stale resourceVersion, 405 for
          // deletecollection, which the server does not serve), never with 403.
          #expect(
            (statuses[verb] == 403) == (verb != granted),
            "granted \(granted): \(verb) answered \(statuses[verb] ?? 0)")
        }
      }
    }
  }

  @Test func resourceNamesMatchOnlyRequestsThatNameAnObject() async throws {
    try await withServer { server in
      let (admin, api, auth) = try await setUp(server)
      let base = "/api/v1/namespaces/tripgen-dev/configmaps"
      for name in ["allowed", "other"] {
        _ = try await admin.create(configMap(name, namespace: "tripgen-dev"))
      }
      try await grant(
        admin, [rule(["get", "list", "watch", "create"], ["configmaps"], names: ["allowed"])],
        to: account, in: "tripgen-dev")
      #expect(try await api.call("GET", "\(base)/allowed", headers: auth).status == 200)
      let other = try await api.call("GET", "\(base)/other", headers: auth)
      #expect(other.status == 403)
      #expect(
        other.body["message"]?.stringValue
          == "configmaps \"other\" is forbidden: User \"\(user)\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"tripgen-dev\""
      )
      // A list names no object, unless its field selector requires one name.
      #expect(try await api.call("GET", base, headers: auth).status == 403)
      let selected = try await api.call(
        "GET", base + "?fieldSelector=metadata.name%3Dallowed", headers: auth)
      #expect(selected.status == 200)
      #expect(selected.body["items"]?.arrayValue?.count == 1)
      let otherList = try await api.call(
        "GET", base + "?fieldSelector=metadata.name%3Dother", headers: auth)
      #expect(otherList.status == 403)
      #expect(
        otherList.body["message"]?.stringValue?.hasPrefix(
          "configmaps \"other\" is forbidden: User \"\(user)\" cannot list") == true)
      // A create names no object in its URL: resourceNames cannot allow it.
      let create = try await api.call(
        "POST", base, configMap("allowed2", namespace: "tripgen-dev"), headers: auth)
      #expect(create.status == 403)
    }
  }

  @Test func aRoleBindingToAClusterRoleGrantsItInItsNamespaceOnly() async throws {
    try await withServer { server in
      let (admin, api, auth) = try await setUp(server)
      _ = try await admin.apply(
        role("configmap-reader", rules: [rule(["get", "list"], ["configmaps"])]),
        fieldManager: "test")
      _ = try await admin.apply(
        binding(
          "read", namespace: "tripgen-dev", roleKind: "ClusterRole", role: "configmap-reader",
          subjects: [serviceAccountSubject("tripgen-dev", "deployer")]), fieldManager: "test")
      #expect(
        try await api.call("GET", "/api/v1/namespaces/tripgen-dev/configmaps", headers: auth)
          .status == 200)
      #expect(
        try await api.call("GET", "/api/v1/namespaces/default/configmaps", headers: auth).status
          == 403)
      let everywhere = try await api.call("GET", "/api/v1/configmaps", headers: auth)
      #expect(everywhere.status == 403)
      #expect(
        everywhere.body["message"]?.stringValue
          == "configmaps is forbidden: User \"\(user)\" cannot list resource \"configmaps\" in API group \"\" at the cluster scope"
      )
    }
  }

  @Test func clusterRoleBindingsGrantEverywhereToUsersGroupsAndServiceAccounts() async throws {
    try await withServer(.init(tokens: ["admin-token": "jane"])) { server in
      let (admin, api, auth) = try await setUp(server)
      let otherToken = server.serviceAccountToken(namespace: "default", name: "deployer")
      let other = [(name: "Authorization", value: "Bearer \(otherToken)")]
      _ = try await admin.apply(
        role("namespace-reader", rules: [rule(["get", "list"], ["namespaces"])]),
        fieldManager: "test")
      func bind(_ subject: JSONValue) async throws {
        _ = try await admin.apply(
          binding(
            "read-namespaces", roleKind: "ClusterRole", role: "namespace-reader",
            subjects: [subject]), fieldManager: "test")
      }
      func statuses() async throws -> (Int, Int) {
        (
          try await api.call("GET", "/api/v1/namespaces", headers: auth).status,
          try await api.call("GET", "/api/v1/namespaces", headers: other).status
        )
      }
      // Not bound yet: refused to both; an administrator's token is not a service account's.
      #expect(try await statuses() == (403, 403))
      let jane = [(name: "Authorization", value: "Bearer admin-token")]
      #expect(try await api.call("GET", "/api/v1/namespaces", headers: jane).status == 200)

      try await bind(["kind": "Group", "name": "system:serviceaccounts:tripgen-dev"])
      #expect(try await statuses() == (200, 403))
      try await bind(["kind": "Group", "name": "system:serviceaccounts"])
      #expect(try await statuses() == (200, 200))
      try await bind(["kind": "User", "name": .string(user)])
      #expect(try await statuses() == (200, 403))
      try await bind(serviceAccountSubject("default", "deployer"))
      #expect(try await statuses() == (403, 200))
      // A ServiceAccount subject without a namespace matches no one in a ClusterRoleBinding.
      try await bind(["kind": "ServiceAccount", "name": "deployer"])
      #expect(try await statuses() == (403, 403))
    }
  }

  @Test func denialsReadLikeTheAPIServer() async throws {
    try await withServer { server in
      let (admin, api, auth) = try await setUp(server)
      let namespace = try await api.call("GET", "/api/v1/namespaces/x", headers: auth)
      #expect(namespace.status == 403)
      #expect(
        namespace.body
          == [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string(
              "namespaces \"x\" is forbidden: User \"\(user)\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"x\""
            ),
            "reason": "Forbidden", "details": ["name": "x", "group": "", "kind": "namespaces"],
            "code": 403,
          ])
      let status = try await api.call(
        "PATCH", "/apis/apps/v1/namespaces/tripgen-dev/deployments/web/status", ["status": [:]],
        contentType: "application/merge-patch+json", headers: auth)
      #expect(
        status.body["message"]?.stringValue
          == "deployments.apps \"web\" is forbidden: User \"\(user)\" cannot patch resource \"deployments/status\" in API group \"apps\" in the namespace \"tripgen-dev\""
      )
      // Authorization comes first: a resource that is not served is forbidden, not missing.
      let unknown = try await api.call(
        "GET", "/apis/tripgen.dev/v1/namespaces/tripgen-dev/rollouts", headers: auth)
      #expect(unknown.status == 403)
      #expect(
        try await api.call("GET", "/apis/tripgen.dev/v1/namespaces/tripgen-dev/rollouts").status
          == 404)
      // Discovery is open to every service account; other paths are not.
      for path in ["/api", "/api/v1", "/apis", "/apis/apps/v1", "/version"] {
        #expect(try await api.call("GET", path, headers: auth).status == 200, "\(path)")
      }
      let logs = try await api.call("GET", "/logs", headers: auth)
      #expect(
        logs.body["message"]?.stringValue == "forbidden: User \"\(user)\" cannot get path \"/logs\""
      )
      // A binding to a role that does not exist says so.
      _ = try await admin.apply(
        binding(
          "broken", namespace: "tripgen-dev", roleKind: "Role", role: "missing",
          subjects: [serviceAccountSubject("tripgen-dev", "deployer")]), fieldManager: "test")
      let broken = try await api.call(
        "GET", "/api/v1/namespaces/tripgen-dev/secrets", headers: auth)
      #expect(
        broken.body["message"]?.stringValue
          == "secrets is forbidden: User \"\(user)\" cannot list resource \"secrets\" in API group \"\" in the namespace \"tripgen-dev\": RBAC: role.rbac.authorization.k8s.io \"missing\" not found"
      )
    }
  }

  @Test func serverSideApplyNeedsPatchAndToCreateAlsoCreate() async throws {
    try await withServer { server in
      let (admin, api, auth) = try await setUp(server)
      let path = "/api/v1/namespaces/tripgen-dev/configmaps/settings"
      let object = configMap("settings", namespace: "tripgen-dev")
      try await grant(admin, [rule(["patch"], ["configmaps"])], to: account, in: "tripgen-dev")
      // The PATCH itself is allowed; creating the object it names is not.
      let refused = try await api.apply(path, object, manager: "tripgen", headers: auth)
      #expect(refused.status == 403)
      #expect(refused.body["message"]?.stringValue == "configmaps \"settings\" is forbidden: ")
      #expect(refused.body["reason"] == "Forbidden")
      // A dry run is authorized as the real request is.
      #expect(
        try await api.apply(path, object, manager: "tripgen", dryRun: true, headers: auth).status
          == 403)
      try await grant(
        admin, [rule(["patch", "create"], ["configmaps"])], to: account, in: "tripgen-dev")
      #expect(
        try await api.apply(path, object, manager: "tripgen", dryRun: true, headers: auth).status
          == 201)
      #expect(try await api.apply(path, object, manager: "tripgen", headers: auth).status == 201)
      // Once it exists, patch alone is enough.
      try await grant(admin, [rule(["patch"], ["configmaps"])], to: account, in: "tripgen-dev")
      let changed = object.with("data", ["k": "changed"])
      #expect(try await api.apply(path, changed, manager: "tripgen", headers: auth).status == 200)
      // Through the client, the error reads the same.
      let token = server.serviceAccountToken(namespace: account.namespace, name: account.name)
      let client = makeClient(server, namespace: "tripgen-dev", authentication: .token(token))
      let error = await #expect(throws: KubeError.self) {
        try await client.apply(
          configMap("another", namespace: "tripgen-dev"), fieldManager: "tripgen")
      }
      #expect(error?.status?.code == 403)
      #expect(error?.status?.message == "configmaps \"another\" is forbidden: ")
    }
  }
}
