import Foundation
import Kube
import Synchronization
import TestSupport
import Testing
import YAML

/// Watches that start without a resourceVersion, and watches that outlive the server: what
/// `KubeClient.watch` promises its consumers whichever way the server serves the initial state.
@Suite(.timeLimit(.minutes(1))) struct KubeWatchTests {
  @Test func aStreamingListReportsTheStateOnceThenTheChanges() async throws {
    try await withServer { server in
      let client = makeClient(server)
      let configMaps = try await client.resource(named: "cm")
      _ = try await client.create(configMap("a", labels: ["app": "web"]))
      _ = try await client.create(configMap("b", labels: ["app": "web"]))
      _ = try await client.create(configMap("other", labels: ["app": "api"]))
      server.clearRequestLog()
      let notices = NoticeLog()
      var events = client.watch(
        configMaps, labelSelector: "app=web", onNotice: notices.record
      ).makeAsyncIterator()

      guard case .relisted(let items, let version)? = try await events.next() else {
        Issue.record("expected the initial state as one relisted event")
        return
      }
      #expect(items.compactMap { $0.at("metadata.name")?.stringValue } == ["a", "b"])
      #expect(items.allSatisfy { $0["kind"] == "ConfigMap" && $0["apiVersion"] == "v1" })
      let a = try await client.get(configMaps, name: "a")
      #expect(Int(version)! >= Int(a.at("metadata.resourceVersion")!.stringValue!)!)
      // One request: the streaming list, as client-go sends it; no LIST.
      let requests = server.requestLog.filter {
        $0.method == "GET" && $0.path.hasSuffix("/configmaps")
      }
      #expect(requests.count == 1)
      #expect(requests.first?.query["watch"] == "1")
      #expect(requests.first?.query["sendInitialEvents"] == "true")
      #expect(requests.first?.query["resourceVersionMatch"] == "NotOlderThan")
      #expect(requests.first?.query["allowWatchBookmarks"] == "true")
      #expect(requests.first?.query["resourceVersion"] == nil)
      #expect(requests.first?.query["labelSelector"] == "app=web")

      // The same response goes on with the changes after that state.
      _ = try await client.create(configMap("c", labels: ["app": "web"]))
      guard case .added(let c)? = try await events.next() else {
        Issue.record("expected c's ADDED event")
        return
      }
      #expect(c.at("metadata.name") == "c")
      _ = try await client.update(a.with("data", ["k": "2"]))
      guard case .modified(let modified)? = try await events.next() else {
        Issue.record("expected a's MODIFIED event")
        return
      }
      #expect(modified.at("data.k") == "2")
      try await client.delete(configMaps, name: "b")
      guard case .deleted(let deleted)? = try await events.next() else {
        Issue.record("expected b's DELETED event")
        return
      }
      #expect(deleted.at("metadata.name") == "b")
      #expect(
        server.requestLog.filter { $0.method == "GET" && $0.path.hasSuffix("/configmaps") }.count
          == 1)

      // History lost while disconnected: the state comes again from another streaming list.
      server.inject(.delay(0.5), method: "GET", pathContains: "/configmaps")
      server.dropWatches()
      _ = try await client.create(configMap("d", labels: ["app": "web"]))
      server.compactWatchHistory()
      guard case .relisted(let again, _)? = try await events.next() else {
        Issue.record("expected a relist after 410")
        return
      }
      #expect(again.compactMap { $0.at("metadata.name")?.stringValue } == ["a", "c", "d"])
      let watchLists = server.requestLog.filter { $0.query["sendInitialEvents"] == "true" }
      #expect(watchLists.count == 2)
      #expect(
        !server.requestLog.contains {
          $0.method == "GET" && $0.path.hasSuffix("/configmaps") && $0.query["watch"] == nil
        })
      #expect(notices.expired == 1)
      #expect(notices.refusals.isEmpty)
    }
  }

  @Test(arguments: [KubeAPIServer.WatchList.refusedByStorage, .featureGateDisabled])
  func aRefusedStreamingListFallsBackToListAndWatchForGood(_ refusal: KubeAPIServer.WatchList)
    async throws
  {
    try await withServer(.init(watchList: refusal)) { server in
      let client = makeClient(server)
      let configMaps = try await client.resource(named: "cm")
      _ = try await client.create(configMap("a"))
      _ = try await client.create(configMap("b"))
      server.clearRequestLog()
      let notices = NoticeLog()
      var events = client.watch(configMaps, onNotice: notices.record).makeAsyncIterator()

      guard case .relisted(let items, let version)? = try await events.next() else {
        Issue.record("expected the listed objects as one relisted event")
        return
      }
      #expect(items.compactMap { $0.at("metadata.name")?.stringValue } == ["a", "b"])
      _ = try await client.create(configMap("c"))
      guard case .added(let c)? = try await events.next() else {
        Issue.record("expected c's ADDED event")
        return
      }
      #expect(c.at("metadata.name") == "c")
      // The streaming list, refused; a paginated LIST; a watch from the list's version.
      let requests = server.requestLog.filter {
        $0.path.hasSuffix("/configmaps") && $0.method == "GET"
      }
      #expect(requests.count == 3)
      #expect(requests.first?.query["sendInitialEvents"] == "true")
      #expect(requests.dropFirst().first?.query["watch"] == nil)
      #expect(requests.dropFirst().first?.query["limit"] == "500")
      #expect(requests.last?.query["watch"] == "1")
      #expect(requests.last?.query["resourceVersion"] == version)
      let reasons = notices.refusals.map { "\($0)" }
      #expect(reasons.count == 1)
      let expected =
        refusal == .refusedByStorage
        ? "a watch stream was requested by the client but the required storage feature RequestWatchProgress is disabled"
        : "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"
      #expect(reasons.first?.contains(expected) == true, "\(reasons)")

      // The fallback lasts: after a 410 the state comes from a LIST again, even though the
      // server would now stream it.
      server.watchList = .served
      server.inject(.delay(0.5), method: "GET", pathContains: "/configmaps")
      server.dropWatches()
      _ = try await client.create(configMap("d"))
      server.compactWatchHistory()
      guard case .relisted(let again, _)? = try await events.next() else {
        Issue.record("expected a relist after 410")
        return
      }
      #expect(again.compactMap { $0.at("metadata.name")?.stringValue } == ["a", "b", "c", "d"])
      #expect(server.requestLog.filter { $0.query["sendInitialEvents"] != nil }.count == 1)
      #expect(notices.expired == 1)
    }
  }

  @Test func aServerThatIgnoresSendInitialEventsIsToldApartByItsEvents() async throws {
    try await withServer { server in
      // Between client and server, something drops the streaming-list parameters: the server
      // then answers a plain watch, with the current objects as ADDED and no closing bookmark.
      var configuration = KubeClientConfiguration(server: server.url)
      configuration.queriesPerSecond = 0
      let client = KubeClient(configuration: configuration, transport: StreamingListStripper())
      let configMaps = try await client.resource(named: "cm")
      let a = try await client.create(configMap("a"))
      let notices = NoticeLog()
      var events = client.watch(configMaps, onNotice: notices.record).makeAsyncIterator()
      try await waitUntil { server.openWatchCount == 1 }
      // A change before any initial-events-end bookmark gives the plain watch away.
      _ = try await client.update(a.with("data", ["k": "2"]))
      guard case .relisted(let items, _)? = try await events.next() else {
        Issue.record("expected the state from a LIST")
        return
      }
      #expect(items.map { $0.at("data.k") } == ["2"])
      #expect(notices.refusals.count == 1)
      _ = try await client.create(configMap("b"))
      guard case .added(let b)? = try await events.next() else {
        Issue.record("expected b's ADDED event")
        return
      }
      #expect(b.at("metadata.name") == "b")
    }
  }

  @Test func theWatchOutlivesAServerThatGoesDownAndComesBack() async throws {
    try await withServer { server in
      let client = makeClient(server)
      let configMaps = try await client.resource(named: "cm")
      _ = try await client.create(configMap("a"))
      let notices = NoticeLog()
      let backoff = KubeBackoff(initial: .milliseconds(100), maximum: .seconds(1))
      var events = client.watch(configMaps, backoff: backoff, onNotice: notices.record)
        .makeAsyncIterator()
      guard case .relisted? = try await events.next() else {
        Issue.record("expected the initial state")
        return
      }

      await server.stopListening()
      // A change while the server is down (in its store, as etcd would keep it).
      #expect(
        server.setStatus(
          apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "a",
          status: ["seen": "while down"]))
      try await Task.sleep(for: .seconds(4))
      try await server.startListening()
      _ = try await client.create(configMap("b"))

      // The watch resumes from the last version it saw: no state again, just what changed.
      guard case .modified(let modified)? = try await events.next() else {
        Issue.record("expected a's MODIFIED event after the reconnect")
        return
      }
      #expect(modified.at("status.seen") == "while down")
      guard case .added(let b)? = try await events.next() else {
        Issue.record("expected b's ADDED event")
        return
      }
      #expect(b.at("metadata.name") == "b")
      // Four seconds of refused connections: several retries, waits growing to the maximum.
      let retries = notices.retries
      #expect(retries.count >= 4, "\(retries)")
      #expect(retries.map(\.failures) == Array(1...retries.count))
      #expect(retries.allSatisfy { $0.delay <= .seconds(1) })
      #expect(retries.last!.delay >= .milliseconds(500))
      #expect(notices.refusals.isEmpty && notices.expired == 0)
      #expect(server.requestLog.filter { $0.query["sendInitialEvents"] != nil }.count == 1)
    }
  }

  @Test func serverErrorsAreRetriedAndOnlyPermanentOnesEndTheWatch() async throws {
    try await withServer { server in
      let client = makeClient(server)
      let configMaps = try await client.resource(named: "cm")
      _ = try await client.create(configMap("a"))
      let notices = NoticeLog()
      let backoff = KubeBackoff(initial: .milliseconds(20), maximum: .milliseconds(100))
      var events = client.watch(configMaps, backoff: backoff, onNotice: notices.record)
        .makeAsyncIterator()
      guard case .relisted? = try await events.next() else {
        Issue.record("expected the initial state")
        return
      }
      // Twenty 503s in a row on the resumed watch: the watch keeps trying, and gets there.
      try await waitUntil { server.openWatchCount == 1 }
      server.inject(.status(503), method: "GET", pathContains: "/configmaps", count: 20)
      server.dropWatches()
      _ = try await client.create(configMap("b"))
      guard case .added(let b)? = try await events.next() else {
        Issue.record("expected b's ADDED event")
        return
      }
      #expect(b.at("metadata.name") == "b")
      #expect(notices.retries.count >= 20)

      // A 404 (the resource went away) ends it with that error.
      try await waitUntil { server.openWatchCount == 1 }
      server.inject(.status(404), method: "GET", pathContains: "/configmaps")
      server.dropWatches()
      let error = await #expect(throws: KubeError.self) {
        while try await events.next() != nil {}
      }
      #expect(error?.status?.code == 404)
    }
  }

  @Test func aWatchTheServiceAccountMayNotMakeEndsWith403AtOnce() async throws {
    try await withServer { server in
      let admin = makeClient(server)
      try await createNamespace(admin, "tripgen-dev")
      let token = server.serviceAccountToken(namespace: "tripgen-dev", name: "tripgen")
      try await grant(
        admin, [rule(["list"], ["configmaps"])], to: ("tripgen-dev", "tripgen"), in: "tripgen-dev")
      let client = makeClient(server, namespace: "tripgen-dev", authentication: .token(token))
      let configMaps = try await client.resource(named: "cm")
      server.clearRequestLog()
      let error = await #expect(throws: KubeError.self) {
        for try await _ in client.watch(configMaps) {}
      }
      #expect(error?.status?.code == 403)
      #expect(
        "\(error!)".hasPrefix(
          "configmaps is forbidden: User \"system:serviceaccount:tripgen-dev:tripgen\" cannot watch resource \"configmaps\" in API group \"\" in the namespace \"tripgen-dev\""
        ))
      // Not refused as a streaming list: a LIST would not help.
      #expect(server.requestLog.count == 1)
    }
  }

  @Test func backoffDoublesToItsMaximumWithJitterBelow() {
    let backoff = KubeBackoff()
    for failures in 1...40 {
      let full = min(Duration.milliseconds(200) * (1 << min(failures - 1, 20)), .seconds(30))
      for _ in 0..<20 {
        let delay = backoff.delay(afterFailures: failures)
        // A microsecond either way for the rounding of seconds held as a Double.
        #expect(
          delay <= full + .microseconds(1) && delay >= full / 2 - .microseconds(1),
          "failure \(failures): \(delay)")
      }
    }
    #expect(backoff.delay(afterFailures: 1000) <= .seconds(30))
  }
}

/// What a watch told its `onNotice`, for a test to check.
final class NoticeLog: Sendable {
  private let notices = Mutex<[KubeWatchNotice]>([])

  var record: @Sendable (KubeWatchNotice) -> Void {
    { notice in self.notices.withLock { $0.append(notice) } }
  }

  var refusals: [any Error] {
    notices.withLock {
      $0.compactMap {
        if case .watchListRefused(let reason) = $0 { return reason }
        return nil
      }
    }
  }

  var expired: Int {
    notices.withLock {
      $0.filter {
        if case .expired = $0 { return true }
        return false
      }.count
    }
  }

  var retries: [(failures: Int, delay: Duration)] {
    notices.withLock {
      $0.compactMap {
        if case .retrying(_, let failures, let delay) = $0 { return (failures, delay) }
        return nil
      }
    }
  }
}

/// A transport that removes the streaming-list parameters from watch requests, as a server too
/// old to know them (or a proxy rewriting queries) would ignore them.
struct StreamingListStripper: KubeTransport {
  let inner = KubeHTTPTransport()

  func send(_ request: KubeRequest) async throws -> KubeResponse {
    try await inner.send(request)
  }

  func stream(_ request: KubeRequest) async throws -> KubeStreamingResponse {
    var stripped = request
    var components = URLComponents(string: request.url)!
    components.queryItems = components.queryItems?.filter {
      !["sendInitialEvents", "resourceVersionMatch"].contains($0.name)
    }
    stripped.url = components.string!
    return try await inner.stream(stripped)
  }
}
