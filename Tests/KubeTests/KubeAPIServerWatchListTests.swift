import Foundation
import Kube
import TestSupport
import Testing
import YAML

/// The test server's streaming lists (KEP-3157), on the wire, as a 1.32+ apiserver serves them
/// and as older ones refuse them.
@Suite struct KubeAPIServerWatchListTests {
  private let path = "/api/v1/namespaces/default/configmaps"
  private let watchList =
    "?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"

  @Test func aStreamingListSendsTheStateThenTheClosingBookmarkThenChanges() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      _ = try await api.call("POST", path, configMap("b", labels: ["app": "web"]))
      let a = try await api.call("POST", path, configMap("a", labels: ["app": "web"])).body
      _ = try await api.call("POST", path, configMap("other", labels: ["app": "api"]))
      let stream = try await api.transport.stream(
        KubeRequest(
          method: "GET", url: server.url + path + watchList + "&labelSelector=app%3Dweb",
          timeout: nil))
      #expect(stream.status == 200)
      var lines = LineReader(stream.body)
      let first = try await lines.next()
      #expect(first?["type"] == "ADDED")
      #expect(first?.at("object.metadata.name") == "a")
      #expect(first?["object"] == a)
      #expect(try await lines.next()?.at("object.metadata.name") == "b")
      let bookmark = try await lines.next()
      #expect(bookmark?["type"] == "BOOKMARK")
      #expect(bookmark?.at("object.kind") == "ConfigMap")
      #expect(bookmark?.at("object.apiVersion") == "v1")
      #expect(
        bookmark?["object"]?["metadata"]?["annotations"] == ["k8s.io/initial-events-end": "true"])
      let current = try await api.call("GET", path).body.at("metadata.resourceVersion")
      #expect(bookmark?.at("object.metadata.resourceVersion") == current)
      _ = try await api.call("POST", path, configMap("c", labels: ["app": "web"]))
      let added = try await lines.next()
      #expect(added?["type"] == "ADDED")
      #expect(added?.at("object.metadata.name") == "c")
    }
  }

  @Test func streamingListParametersAreValidatedAsListOptionsAre() async throws {
    try await withServer { server in
      let api = RawAPI(server: server)
      let cases: [(query: String, message: String)] = [
        (
          "?watch=1&sendInitialEvents=true&allowWatchBookmarks=true",
          "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"
        ),
        (
          "?watch=1&resourceVersionMatch=NotOlderThan",
          "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"
        ),
        (
          "?sendInitialEvents=true",
          "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"
        ),
        (
          "?watch=1&sendInitialEvents=true&resourceVersionMatch=Exact",
          "[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: \"Exact\": supported values: \"NotOlderThan\"]"
        ),
      ]
      for (query, message) in cases {
        let answer = try await api.call("GET", path + query)
        #expect(answer.status == 422, "\(query)")
        #expect(answer.body["reason"] == "Invalid")
        #expect(
          answer.body["message"]?.stringValue
            == "ListOptions.meta.k8s.io \"\" is invalid: \(message)")
        #expect(answer.body.at("details.kind") == "ListOptions")
        #expect(answer.body.at("details.group") == "meta.k8s.io")
      }
    }
  }

  @Test func aServerOnOldEtcdRefusesWithOneErrorEvent() async throws {
    try await withServer(.init(watchList: .refusedByStorage)) { server in
      let api = RawAPI(server: server)
      _ = try await api.call("POST", path, configMap("a"))
      let stream = try await api.transport.stream(
        KubeRequest(method: "GET", url: server.url + path + watchList, timeout: nil))
      #expect(stream.status == 200)
      var lines = LineReader(stream.body)
      let error = try await lines.next()
      #expect(error?["type"] == "ERROR")
      #expect(
        error?["object"]
          == [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message":
              "a watch stream was requested by the client but the required storage feature RequestWatchProgress is disabled",
            "reason": "InternalError", "code": 500,
          ])
      #expect(try await lines.next() == nil)

      // Without bookmarks it is no streaming list: the objects come, with no closing bookmark.
      let plain = try await api.transport.stream(
        KubeRequest(
          method: "GET",
          url: server.url + path
            + "?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1",
          timeout: nil))
      var plainLines = LineReader(plain.body)
      #expect(try await plainLines.next()?["type"] == "ADDED")
      #expect(try await plainLines.next() == nil)

      // Switched on: served.
      server.watchList = .served
      let served = try await api.transport.stream(
        KubeRequest(method: "GET", url: server.url + path + watchList, timeout: nil))
      var servedLines = LineReader(served.body)
      #expect(try await servedLines.next()?["type"] == "ADDED")
      #expect(try await servedLines.next()?["type"] == "BOOKMARK")
    }
  }

  @Test func aServerWithTheFeatureGateOffRefusesWith422() async throws {
    try await withServer(.init(watchList: .featureGateDisabled)) { server in
      let answer = try await RawAPI(server: server).call("GET", path + watchList)
      #expect(answer.status == 422)
      #expect(
        answer.body["message"]
          == "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"
      )
    }
  }
}
