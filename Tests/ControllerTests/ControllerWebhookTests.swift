import Controller
import Foundation
import Kube
import TestSupport
import Testing

/// The webhook end to end: real Git over smart HTTP on loopback, the test API server, and the
/// controller's HTTP server.
@Suite(.serialized) struct ControllerWebhookTests {
  @Test func aSignedPushIsSyncedWithinSeconds() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start()
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "hello" })
    let commit = try fixture.commit(greeting: "bonjour")
    let delivery = fixture.pushDelivery(after: commit)
    let sent = ContinuousClock.now
    let reply = try await fixture.request(
      "POST", "/api/webhook", body: delivery.body, headers: delivery.headers)
    #expect(reply.status == 202, "\(reply.body)")
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "bonjour" })
    #expect(ContinuousClock.now - sent < .seconds(5))
    #expect(await fixture.waitUntil { await fixture.status()?.syncedRevision == commit })
    let status = try #require(await fixture.status())
    #expect(status.revision?.commit == commit)
    #expect(status.revision?.author == "Ada Tester")
    #expect(status.revision?.message == "greeting: bonjour")
    #expect(status.syncs.first?.trigger == .webhook)
    let metrics = try await fixture.request("GET", "/metrics").body
    #expect(metrics.contains(#"tripgen_controller_webhook_deliveries_total{result="accepted"} 1"#))
    #expect(
      metrics.contains(
        #"tripgen_controller_revision_info{environment="test",revision="\#(commit)",branch="main"} 1"#
      ))
    await fixture.shutdown()
  }

  @Test func aBadOrMissingSignatureIs401AndFetchesNothing() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start()
    let controller = try #require(fixture.controller)
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "hello" })
    let fetches = await controller.poller.watcher.fetchCount
    let commit = try fixture.commit(greeting: "forged")
    var delivery = fixture.pushDelivery(after: commit, secret: "not-the-secret")
    let forged = try await fixture.request(
      "POST", "/api/webhook", body: delivery.body, headers: delivery.headers)
    #expect(forged.status == 401)
    delivery.headers.removeAll { $0.name == "X-Hub-Signature-256" }
    let unsigned = try await fixture.request(
      "POST", "/api/webhook", body: delivery.body, headers: delivery.headers)
    #expect(unsigned.status == 401)
    // A signature over another body does not sign this one.
    let other = fixture.pushDelivery(after: String(repeating: "1", count: 40))
    var mixed = other.headers
    mixed.removeAll { $0.name == "X-Hub-Signature-256" }
    mixed.append(
      ("X-Hub-Signature-256", other.headers.first { $0.name == "X-Hub-Signature-256" }!.value))
    let swapped = try await fixture.request(
      "POST", "/api/webhook", body: fixture.pushDelivery(after: commit).body + [0x20],
      headers: mixed)
    #expect(swapped.status == 401)
    try await Task.sleep(for: .milliseconds(300))
    #expect(await controller.poller.watcher.fetchCount == fetches)
    #expect(fixture.liveGreeting() == "hello")
    let metrics = try await fixture.request("GET", "/metrics").body
    #expect(
      metrics.contains(#"tripgen_controller_webhook_deliveries_total{result="unauthorized"} 3"#))
    await fixture.shutdown()
  }

  @Test func pingIsAnsweredAndOtherBranchesAndEventsAreIgnored() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start()
    let controller = try #require(fixture.controller)
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "hello" })
    let fetches = await controller.poller.watcher.fetchCount
    let signature = WebhookSignature(secret: Array("webhook-secret".utf8))
    let ping = Array(#"{"zen":"Design for failure.","hook_id":1}"#.utf8)
    let pong = try await fixture.request(
      "POST", "/api/webhook", body: ping,
      headers: [("X-GitHub-Event", "ping"), ("X-Hub-Signature-256", signature.header(for: ping))])
    #expect(pong.status == 200)
    #expect(pong.body.contains("pong"))
    let commit = try fixture.commit(greeting: "elsewhere")
    let branch = fixture.pushDelivery(after: commit, ref: "refs/heads/feature")
    let ignored = try await fixture.request(
      "POST", "/api/webhook", body: branch.body, headers: branch.headers)
    #expect(ignored.status == 202)
    #expect(ignored.body.contains("not watched"))
    let issue = Array(#"{"action":"opened"}"#.utf8)
    let other = try await fixture.request(
      "POST", "/api/webhook", body: issue,
      headers: [
        ("X-GitHub-Event", "issues"), ("X-Hub-Signature-256", signature.header(for: issue)),
      ])
    #expect(other.status == 202)
    try await Task.sleep(for: .milliseconds(300))
    #expect(await controller.poller.watcher.fetchCount == fetches)
    #expect(fixture.liveGreeting() == "hello")
    await fixture.shutdown()
  }

  @Test func aBurstOf1000DeliveriesIsOneFetch() async throws {
    let fixture = try await ControllerFixture()
    try await fixture.start()
    let controller = try #require(fixture.controller)
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "hello" })
    // The start-up poll has run once the first revision is applied.
    let fetches = await controller.poller.watcher.fetchCount
    let commit = try fixture.commit(greeting: "burst")
    let delivery = fixture.pushDelivery(after: commit)
    let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
      // 20 connections of 50 deliveries each, as GitHub's redeliveries and a replay script would.
      for _ in 0..<20 {
        group.addTask {
          var statuses: [Int] = []
          for _ in 0..<50 {
            statuses.append(
              try await fixture.request(
                "POST", "/api/webhook", body: delivery.body, headers: delivery.headers
              ).status)
          }
          return statuses
        }
      }
      return try await group.reduce(into: []) { $0 += $1 }
    }
    #expect(statuses.count == 1000)
    #expect(statuses.allSatisfy { $0 == 202 })
    #expect(await fixture.waitUntil { fixture.liveGreeting() == "burst" })
    await controller.poller.coalescer.idle()
    #expect(await controller.poller.watcher.fetchCount == fetches + 1)
    #expect(await controller.poller.coalescer.fetches == 1)
    await fixture.shutdown()
  }
}
