import Foundation
import Kube
import TestSupport
import Testing
import YAML

/// The test API server checked case by case against the API conventions and the server-side
/// apply documentation, over raw HTTP (not through the client it exists to test).
@Suite struct KubeAPIServerTests {
  @Test func discoveryListsTheBuiltInGroupsWithShortNamesAndStatusSubresources() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let core = try await api.call("GET", "/api")
      #expect(core.body["kind"] == "APIVersions")
      #expect(core.body["versions"] == ["v1"])
      let groups = try await api.call("GET", "/apis")
      let names = Set(
        (groups.body["groups"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
      for group in [
        "apps", "batch", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
        "storage.k8s.io", "coordination.k8s.io", "autoscaling", "apiextensions.k8s.io",
      ] {
        #expect(names.contains(group), "missing group \(group)")
      }
      let apps = try await api.call("GET", "/apis/apps/v1")
      #expect(apps.body["kind"] == "APIResourceList")
      #expect(apps.body["groupVersion"] == "apps/v1")
      let resources = apps.body["resources"]?.arrayValue ?? []
      let deployments = resources.first { $0["name"] == "deployments" }
      #expect(deployments?["shortNames"] == ["deploy"])
      #expect(deployments?["namespaced"] == true)
      #expect(deployments?["kind"] == "Deployment")
      #expect(resources.contains { $0["name"] == "deployments/status" })
      #expect(try await api.call("GET", "/apis/example.com/v1").status == 404)
    }
  }

  @Test func objectsInAMissingNamespaceAreRejected() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let response = try await api.call(
        "POST", "/api/v1/namespaces/nope/configmaps", configMap("settings", namespace: "nope"))
      #expect(response.status == 404)
      #expect(response.body["kind"] == "Status")
      #expect(response.body["status"] == "Failure")
      #expect(response.body["reason"] == "NotFound")
      #expect(response.body["message"] == "namespaces \"nope\" not found")
      #expect(response.body["details"] == ["name": "nope", "group": "", "kind": "namespaces"])
      #expect(response.body["code"] == 404)
    }
  }

  @Test func createSetsTheMetadataTheAPIOwns() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let created = try await api.call(
        "POST", "/apis/apps/v1/namespaces/default/deployments", deployment("web"))
      #expect(created.status == 201)
      let metadata = created.body["metadata"]
      #expect(metadata?["uid"]?.stringValue?.count == 36)
      #expect(Int(metadata?["resourceVersion"]?.stringValue ?? "") != nil)
      #expect(metadata?["generation"] == 1)
      #expect(metadata?["creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)
      let managed = metadata?["managedFields"]?[0]
      #expect(managed?["manager"] == "kubectl")
      #expect(managed?["operation"] == "Update")
      #expect(managed?["fieldsType"] == "FieldsV1")
      #expect(managed?.at("fieldsV1.f:spec.f:replicas") == [:])
      let again = try await api.call(
        "POST", "/apis/apps/v1/namespaces/default/deployments", deployment("web"))
      #expect(again.status == 409)
      #expect(again.body["reason"] == "AlreadyExists")
      #expect(again.body["message"] == "deployments.apps \"web\" already exists")
      let missing = try await api.call("GET", "/apis/apps/v1/namespaces/default/deployments/nope")
      #expect(missing.status == 404)
      #expect(missing.body["message"] == "deployments.apps \"nope\" not found")
      #expect(missing.body["details"]?["kind"] == "deployments")
    }
  }

  @Test func namesAreValidatedLikeTheAPI() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let response = try await api.call(
        "POST", "/apis/apps/v1/namespaces/default/deployments", deployment("Bad_Name"))
      #expect(response.status == 422)
      #expect(response.body["reason"] == "Invalid")
      #expect(
        response.body["message"]?.stringValue?.hasPrefix(
          "Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters"
        ) == true)
      #expect(response.body["details"]?["causes"]?[0]?["field"] == "metadata.name")
      #expect(response.body["details"]?["causes"]?[0]?["reason"] == "FieldValueInvalid")
      // Services need DNS-1123 labels: no dots.
      let service: JSONValue = [
        "apiVersion": "v1", "kind": "Service", "metadata": ["name": "a.b"], "spec": [:],
      ]
      let label = try await api.call("POST", "/api/v1/namespaces/default/services", service)
      #expect(label.status == 422)
      #expect(label.body["message"]?.stringValue?.contains("RFC 1123 label") == true)
      let unnamed = try await api.call(
        "POST", "/api/v1/namespaces/default/configmaps", ["apiVersion": "v1", "kind": "ConfigMap"])
      #expect(
        unnamed.body["message"]
          == "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required"
      )
    }
  }

  @Test func staleResourceVersionOnUpdateIsAConflictAndGenerationFollowsTheSpec() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let path = "/apis/apps/v1/namespaces/default/deployments"
      let created = try await api.call("POST", path, deployment("web")).body
      let version = created.at("metadata.resourceVersion")!
      // A label change is metadata: no new generation.
      let relabelled = created.with(["metadata", "labels"], ["app": "web", "tier": "front"])
      let updated = try await api.call("PUT", "\(path)/web", relabelled)
      #expect(updated.status == 200)
      #expect(updated.body.at("metadata.generation") == 1)
      #expect(updated.body.at("metadata.resourceVersion") != version)
      // The first version is stale now.
      let stale = try await api.call("PUT", "\(path)/web", created.with(["spec", "replicas"], 5))
      #expect(stale.status == 409)
      #expect(
        stale.body["message"]
          == "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again"
      )
      let scaled = try await api.call(
        "PUT", "\(path)/web", updated.body.with(["spec", "replicas"], 5))
      #expect(scaled.body.at("metadata.generation") == 2)
      // Status written to the main resource is ignored; the status subresource takes it.
      let withStatus = scaled.body.with("status", ["replicas": 5])
      let ignored = try await api.call("PUT", "\(path)/web", withStatus)
      #expect(ignored.body["status"] == nil)
      #expect(
        ignored.body.at("metadata.resourceVersion") == scaled.body.at("metadata.resourceVersion"))
      let status = try await api.call("PUT", "\(path)/web/status", withStatus)
      #expect(status.body.at("status.replicas") == 5)
      #expect(status.body.at("metadata.generation") == 2)
    }
  }

  @Test func serverSideApplyTracksOwnershipPerManager() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let path = "/apis/apps/v1/namespaces/default/deployments/web"
      let first = try await api.apply(path, deployment("web", replicas: 2), manager: "tripgen")
      #expect(first.status == 201)
      let entry = first.body.at("metadata.managedFields")?[0]
      #expect(entry?["manager"] == "tripgen")
      #expect(entry?["operation"] == "Apply")
      let fields = entry?["fieldsV1"]
      #expect(fields?.at("f:spec.f:replicas") == [:])
      #expect(fields?.at("f:metadata.f:labels.f:app") == [:])
      let container = fields?.at("f:spec.f:template.f:spec.f:containers")?["k:{\"name\":\"app\"}"]
      #expect(container?["."] == [:])
      #expect(container?["f:image"] == [:])
      #expect(fields?.at("f:metadata.f:name") == nil)

      // The same apply again changes nothing: same resourceVersion.
      let second = try await api.apply(path, deployment("web", replicas: 2), manager: "tripgen")
      #expect(second.status == 200)
      #expect(
        second.body.at("metadata.resourceVersion") == first.body.at("metadata.resourceVersion"))

      // Another applier setting the same value shares it; a different value conflicts.
      let other: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
        "spec": ["replicas": 3],
      ]
      let conflict = try await api.apply(path, other, manager: "autoscaler")
      #expect(conflict.status == 409)
      #expect(conflict.body["reason"] == "Conflict")
      #expect(
        conflict.body["message"]
          == "Apply failed with 1 conflict: conflict with \"tripgen\": .spec.replicas")
      #expect(conflict.body["details"]?["causes"]?[0]?["reason"] == "FieldManagerConflict")
      #expect(conflict.body["details"]?["causes"]?[0]?["field"] == ".spec.replicas")
      #expect(conflict.body["details"]?["causes"]?[0]?["message"] == "conflict with \"tripgen\"")

      // force takes the field over.
      let forced = try await api.apply(path, other, manager: "autoscaler", force: true)
      #expect(forced.status == 200)
      #expect(forced.body.at("spec.replicas") == 3)
      let managers = forced.body.at("metadata.managedFields")?.arrayValue ?? []
      let tripgen = managers.first { $0["manager"] == "tripgen" }
      #expect(tripgen?.at("fieldsV1.f:spec.f:replicas") == nil)
      #expect(
        managers.first { $0["manager"] == "autoscaler" }?.at("fieldsV1.f:spec.f:replicas") == [:])

      // tripgen stops setting replicas (owned elsewhere now: kept) and a label (owned by
      // tripgen alone: removed).
      let trimmed = deployment("web", replicas: nil, labels: [:])
      let reapplied = try await api.apply(path, trimmed, manager: "tripgen")
      #expect(reapplied.body.at("spec.replicas") == 3)
      #expect(reapplied.body.at("metadata.labels.app") == nil)
      #expect(reapplied.body.at("metadata.generation") == 2)
    }
  }

  @Test func applyConflictsWithAnUpdaterNameItsVersionAndListEveryField() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let path = "/apis/apps/v1/namespaces/default/deployments"
      _ = try await api.call("POST", path, deployment("web", replicas: 2, image: "nginx:1"))
      let applied = deployment("web", replicas: 4, image: "nginx:2")
      let conflict = try await api.apply("\(path)/web", applied, manager: "tripgen")
      #expect(conflict.status == 409)
      #expect(
        conflict.body["message"]
          == """
          Apply failed with 2 conflicts: conflicts with "kubectl" using apps/v1:
          - .spec.replicas
          - .spec.template.spec.containers[name="app"].image
          """)
    }
  }

  @Test func dryRunReturnsTheResultWithoutStoringIt() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let path = "/api/v1/namespaces/default/configmaps/settings"
      let dry = try await api.apply(path, configMap("settings"), manager: "tripgen", dryRun: true)
      #expect(dry.status == 201)
      #expect(dry.body.at("data.k") == "v")
      #expect(try await api.call("GET", path).status == 404)
      let created = try await api.call(
        "POST", "/api/v1/namespaces/default/configmaps?dryRun=All", configMap("x"))
      #expect(created.status == 201)
      #expect(try await api.call("GET", "/api/v1/namespaces/default/configmaps/x").status == 404)
    }
  }

  @Test func labelAndFieldSelectors() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let path = "/api/v1/namespaces/default/configmaps"
      _ = try await api.call("POST", path, configMap("a", labels: ["app": "web", "tier": "front"]))
      _ = try await api.call("POST", path, configMap("b", labels: ["app": "api", "tier": "back"]))
      _ = try await api.call("POST", path, configMap("c", labels: ["app": "db"]))
      func names(_ query: String) async throws -> [String] {
        let list = try await api.call("GET", path + "?" + query)
        #expect(list.body["kind"] == "ConfigMapList")
        return (list.body["items"]?.arrayValue ?? []).compactMap {
          $0.at("metadata.name")?.stringValue
        }
      }
      #expect(try await names("labelSelector=app%3Dweb") == ["a"])
      #expect(try await names("labelSelector=app%21%3Dweb") == ["b", "c"])
      #expect(try await names("labelSelector=app%20in%20(web,db)") == ["a", "c"])
      #expect(try await names("labelSelector=app%20notin%20(web)") == ["b", "c"])
      #expect(try await names("labelSelector=tier") == ["a", "b"])
      #expect(try await names("labelSelector=%21tier") == ["c"])
      #expect(try await names("labelSelector=tier,app%3Dapi") == ["b"])
      #expect(try await names("fieldSelector=metadata.name%3Db") == ["b"])
      #expect(try await names("fieldSelector=metadata.namespace%3Dother").isEmpty)
      // Typed lists leave kind and apiVersion off their items.
      let list = try await api.call("GET", path)
      #expect(list.body["items"]?[0]?["kind"] == nil)
      let bad = try await api.call("GET", path + "?fieldSelector=spec.x%3D1")
      #expect(bad.status == 400)
    }
  }

  @Test func paginationWithLimitAndContinue() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let path = "/api/v1/namespaces/default/configmaps"
      for index in 0..<7 { _ = try await api.call("POST", path, configMap("cm-\(index)")) }
      let first = try await api.call("GET", path + "?limit=3")
      #expect(first.body["items"]?.arrayValue?.count == 3)
      #expect(first.body.at("metadata.remainingItemCount") == 4)
      let token = try #require(first.body.at("metadata.continue")?.stringValue)
      let second = try await api.call(
        "GET", path + "?limit=3&continue=\(KubePathForTests.escape(token))")
      #expect(second.body["items"]?[0]?.at("metadata.name") == "cm-3")
      #expect(
        second.body.at("metadata.resourceVersion") == first.body.at("metadata.resourceVersion"))
      let third = try await api.call(
        "GET",
        path
          + "?limit=3&continue=\(KubePathForTests.escape(second.body.at("metadata.continue")!.stringValue!))"
      )
      #expect(third.body["items"]?.arrayValue?.count == 1)
      #expect(third.body.at("metadata.continue") == nil)
      let bad = try await api.call("GET", path + "?continue=garbage")
      #expect(bad.status == 400)
    }
  }

  @Test func watchStreamsEventsInOrderWithBookmarksAndExpires() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let path = "/api/v1/namespaces/default/configmaps"
      let created = try await api.call("POST", path, configMap("a")).body
      let from = created.at("metadata.resourceVersion")!.stringValue!
      _ = try await api.call("PUT", "\(path)/a", created.with("data", ["k": "2"]))
      _ = try await api.call("DELETE", "\(path)/a")
      let stream = try await api.transport.stream(
        KubeRequest(
          method: "GET",
          url: server.url + path + "?watch=1&resourceVersion=\(from)&allowWatchBookmarks=true"))
      #expect(stream.status == 200)
      var lines = LineReader(stream.body)
      let modified = try await lines.next()
      #expect(modified?["type"] == "MODIFIED")
      #expect(modified?.at("object.data.k") == "2")
      #expect(try await lines.next()?["type"] == "DELETED")
      server.sendBookmarks()
      let bookmark = try await lines.next()
      #expect(bookmark?["type"] == "BOOKMARK")
      #expect(bookmark?.at("object.kind") == "ConfigMap")
      #expect(bookmark?.at("object.metadata.resourceVersion") != nil)

      server.compactWatchHistory()
      let old = try await api.transport.stream(
        KubeRequest(method: "GET", url: server.url + path + "?watch=1&resourceVersion=\(from)"))
      var oldLines = LineReader(old.body)
      let expired = try await oldLines.next()
      #expect(expired?["type"] == "ERROR")
      #expect(expired?.at("object.code") == 410)
      #expect(expired?.at("object.reason") == "Expired")
      #expect(
        expired?.at("object.message")?.stringValue?.hasPrefix("too old resource version: \(from)")
          == true)
    }
  }

  @Test func deletePreconditionsAndPropagation() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let deployments = "/apis/apps/v1/namespaces/default/deployments"
      let owner = try await api.call("POST", deployments, deployment("web")).body
      let uid = owner.at("metadata.uid")!
      func dependent(_ name: String) -> JSONValue {
        configMap(name).with(
          ["metadata", "ownerReferences"],
          [["apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": uid]])
      }
      _ = try await api.call("POST", "/api/v1/namespaces/default/configmaps", dependent("dep-1"))
      let wrongUID = try await api.call(
        "DELETE", "\(deployments)/web",
        ["kind": "DeleteOptions", "apiVersion": "v1", "preconditions": ["uid": "other"]])
      #expect(wrongUID.status == 409)
      #expect(
        wrongUID.body["message"]?.stringValue
          == "Operation cannot be fulfilled on deployments.apps \"web\": Precondition failed: UID in precondition: other, UID in object meta: \(uid.stringValue!)"
      )
      // Orphan keeps the dependent without its owner reference.
      let orphaned = try await api.call("DELETE", "\(deployments)/web?propagationPolicy=Orphan")
      #expect(orphaned.status == 200)
      let kept = try await api.call("GET", "/api/v1/namespaces/default/configmaps/dep-1")
      #expect(kept.status == 200)
      #expect(kept.body.at("metadata.ownerReferences") == nil)

      // Background (the default) deletes dependents too.
      let second = try await api.call("POST", deployments, deployment("web")).body
      let secondUID = second.at("metadata.uid")!
      _ = try await api.call(
        "POST", "/api/v1/namespaces/default/configmaps",
        configMap("dep-2").with(
          ["metadata", "ownerReferences"],
          [["apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": secondUID]]))
      _ = try await api.call("DELETE", "\(deployments)/web")
      #expect(
        try await api.call("GET", "/api/v1/namespaces/default/configmaps/dep-2").status == 404)

      // A finalizer holds an object until it is removed.
      let held = try await api.call(
        "POST", "/api/v1/namespaces/default/configmaps",
        configMap("held").with(["metadata", "finalizers"], ["example.com/hold"])
      ).body
      let deleting = try await api.call("DELETE", "/api/v1/namespaces/default/configmaps/held")
      #expect(deleting.body.at("metadata.deletionTimestamp") != nil)
      let stillThere = try await api.call("GET", "/api/v1/namespaces/default/configmaps/held")
      #expect(stillThere.status == 200)
      _ = try await api.call(
        "PUT", "/api/v1/namespaces/default/configmaps/held",
        stillThere.body.with(["metadata", "finalizers"], nil))
      #expect(try await api.call("GET", "/api/v1/namespaces/default/configmaps/held").status == 404)
      _ = held
    }
  }

  @Test func deletingANamespaceDeletesItsObjects() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      _ = try await api.call(
        "POST", "/api/v1/namespaces",
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
      _ = try await api.call(
        "POST", "/api/v1/namespaces/team/configmaps", configMap("a", namespace: "team"))
      let deleted = try await api.call("DELETE", "/api/v1/namespaces/team")
      #expect(deleted.body.at("status.phase") == "Terminating")
      #expect(try await api.call("GET", "/api/v1/namespaces/team/configmaps/a").status == 404)
      #expect(try await api.call("GET", "/api/v1/namespaces/team").status == 404)
    }
  }

  @Test func customResourceDefinitionsCreatedThroughTheAPIAreServed() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let crd: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "rollouts.tripgen.dev"],
        "spec": [
          "group": "tripgen.dev", "scope": "Namespaced",
          "names": [
            "kind": "Rollout", "plural": "rollouts", "singular": "rollout", "shortNames": ["ro"],
          ],
          "versions": [
            ["name": "v1", "served": true, "storage": true, "subresources": ["status": [:]]]
          ],
        ],
      ]
      #expect(try await api.call("GET", "/apis/tripgen.dev/v1").status == 404)
      let created = try await api.call(
        "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
      #expect(created.status == 201)
      let discovery = try await api.call("GET", "/apis/tripgen.dev/v1")
      #expect(discovery.body["resources"]?[0]?["kind"] == "Rollout")
      let rollout: JSONValue = [
        "apiVersion": "tripgen.dev/v1", "kind": "Rollout", "metadata": ["name": "r1"],
        "spec": ["steps": [1, 2]],
      ]
      #expect(
        try await api.call("POST", "/apis/tripgen.dev/v1/namespaces/default/rollouts", rollout)
          .status == 201)
      let list = try await api.call("GET", "/apis/tripgen.dev/v1/namespaces/default/rollouts")
      // Custom resource lists keep kind on items.
      #expect(list.body["items"]?[0]?["kind"] == "Rollout")
      let badName = crd.with(["metadata", "name"], "wrong")
      #expect(
        try await api.call(
          "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", badName
        ).status == 422)
    }
  }

  @Test func authenticationAuthorizationFaultsAndTheRequestLog() async throws {
    let options = KubeAPIServer.Options(
      // Not a service account: RBAC does not apply to it, `deny` rules do.
      tokens: ["good-token": "jane"], requireAuthentication: true)
    try await withServer(options) { server in
      let api = RawAPI(server: server)
      let anonymous = try await api.call("GET", "/api/v1/namespaces/default/configmaps")
      #expect(anonymous.status == 401)
      #expect(anonymous.body["reason"] == "Unauthorized")
      let auth = [(name: "Authorization", value: "Bearer good-token")]
      #expect(
        try await api.call("GET", "/api/v1/namespaces/default/configmaps", headers: auth).status
          == 200)
      server.deny(verb: "patch", resource: "deployments")
      let forbidden = try await api.call(
        "PATCH", "/apis/apps/v1/namespaces/default/deployments/user-service?fieldManager=tripgen",
        deployment("user-service"), contentType: "application/apply-patch+yaml", headers: auth)
      #expect(forbidden.status == 403)
      #expect(
        forbidden.body["message"]
          == "deployments.apps \"user-service\" is forbidden: User \"jane\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"default\""
      )
      server.inject(.status(429, retryAfter: 2), pathContains: "/configmaps")
      let throttled = try await api.transport.send(
        KubeRequest(
          method: "GET", url: server.url + "/api/v1/namespaces/default/configmaps", headers: auth))
      #expect(throttled.status == 429)
      #expect(throttled.header("Retry-After") == "2")
      #expect(
        try await api.call("GET", "/api/v1/namespaces/default/configmaps", headers: auth).status
          == 200)
      let log = server.requestLog
      #expect(log.contains { $0.method == "PATCH" && $0.fieldManager == "tripgen" })
      #expect(log.last?.user == "jane")
    }
  }
}

/// Reads newline-delimited JSON from a streamed body.
struct LineReader {
  var iterator: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
  var buffer: [UInt8] = []

  init(_ stream: AsyncThrowingStream<[UInt8], any Error>) { iterator = stream.makeAsyncIterator() }

  mutating func next() async throws -> JSONValue? {
    while true {
      if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = Array(buffer[..<newline])
        buffer.removeSubrange(...newline)
        return try KubeJSON.decode(line)
      }
      guard let chunk = try await iterator.next() else { return nil }
      buffer += chunk
    }
  }
}

enum KubePathForTests {
  static func escape(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
  }
}

@Suite struct KubeAPIServerMoreTests {
  @Test func finalizersAreASetListInManagedFields() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let object = configMap("held").with(
        ["metadata", "finalizers"], ["a.example/x", "b.example/y"])
      let applied = try await api.apply(
        "/api/v1/namespaces/default/configmaps/held", object, manager: "tripgen")
      let fields = applied.body.at("metadata.managedFields")?[0]?["fieldsV1"]
      #expect(fields?.at("f:metadata.f:finalizers")?["v:\"a.example/x\""] == [:])
      #expect(fields?.at("f:metadata.f:finalizers")?["v:\"b.example/y\""] == [:])
      // Another manager adds a finalizer: the set merges rather than being replaced.
      let other = configMap("held", data: [:]).with(["metadata", "finalizers"], ["c.example/z"])
        .with("data", nil)
      let merged = try await api.apply(
        "/api/v1/namespaces/default/configmaps/held", other, manager: "other")
      #expect(
        merged.body.at("metadata.finalizers") == ["a.example/x", "b.example/y", "c.example/z"])
    }
  }

  @Test func aWatchWithASelectorSeesObjectsLeaveAndEnterIt() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let path = "/api/v1/namespaces/default/configmaps"
      let created = try await api.call("POST", path, configMap("a", labels: ["app": "web"])).body
      let stream = try await api.transport.stream(
        KubeRequest(method: "GET", url: server.url + path + "?watch=true&labelSelector=app%3Dweb"))
      var lines = LineReader(stream.body)
      #expect(try await lines.next()?["type"] == "ADDED")
      let moved = try await api.call(
        "PUT", "\(path)/a", created.with(["metadata", "labels"], ["app": "api"])
      ).body
      let left = try await lines.next()
      #expect(left?["type"] == "DELETED")
      #expect(left?.at("object.metadata.labels.app") == "api")
      _ = try await api.call(
        "PUT", "\(path)/a", moved.with(["metadata", "labels"], ["app": "web"]))
      #expect(try await lines.next()?["type"] == "ADDED")
    }
  }
}
