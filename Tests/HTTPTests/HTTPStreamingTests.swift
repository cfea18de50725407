import Foundation
import Synchronization
import TestSupport
import Testing

@testable import HTTP

/// `HTTPClient.stream` against the test server: chunks as they arrive, back-pressure,
/// cancellation, failures mid-body, error statuses.
@Suite struct HTTPStreamingTests {
  static let event = Array("{\"type\":\"ADDED\"}\n".utf8)

  @Test func chunksArriveBeforeTheBodyEnds() async throws {
    let server = try TestHTTPServer()
    defer { server.shutdown() }
    server.route("GET", "/watch") { _ in
      .init(body: .trickle(chunk: Self.event, count: 5, interval: .milliseconds(200)))
    }
    let client = HTTPClient()
    let clock = ContinuousClock()
    let start = clock.now
    let response = try await client.stream(HTTPRequest(url: server.url("/watch")))
    #expect(response.status == 200)
    #expect(response.headers["Content-Length"] == String(Self.event.count * 5))
    var arrivals: [Duration] = []
    var received: [UInt8] = []
    for try await chunk in response.body {
      arrivals.append(clock.now - start)
      received += chunk
    }
    #expect(received == Array(Array(repeating: Self.event, count: 5).joined()))
    // The first event is in hand long before the last one was sent (about 1 s in).
    #expect(arrivals.count >= 2)
    #expect(try #require(arrivals.first) < .milliseconds(700), "\(arrivals)")
    #expect(try #require(arrivals.last) >= .milliseconds(900), "\(arrivals)")
  }

  @Test func aSlowReaderPausesTheTransferAndGetsEveryByte() async throws {
    let server = try TestHTTPServer()
    defer { server.shutdown() }
    let length = 32 << 20
    server.route("GET", "/large") { _ in .init(body: .generated(length: length)) }
    let client = HTTPClient()
    let limit = 256 << 10
    let response = try await client.stream(
      HTTPRequest(url: server.url("/large")), bufferLimit: limit)
    var offset = 0
    var mismatches = 0
    var chunks = 0
    for try await chunk in response.body {
      for (index, byte) in chunk.enumerated()
      where byte != TestHTTPServer.generatedByte(at: offset + index) {
        mismatches += 1
      }
      offset += chunk.count
      chunks += 1
      // A reader far slower than the network at first: the transfer must wait for it.
      if chunks <= 5 { try await Task.sleep(for: .milliseconds(200)) }
    }
    #expect(offset == length)
    #expect(mismatches == 0)
    // Never more unread than the limit plus one of curl's reads (16 KiB; allow some slack).
    let peak = response.body.owner.buffer.peakBufferedBytes
    #expect(peak >= limit / 2, "the reader was slow: the buffer should have filled")
    #expect(peak <= limit + 64 << 10, "peak \(peak) bytes buffered")
  }

  @Test func cancellingTheReaderOrDroppingTheBodyClosesTheConnection() async throws {
    let server = try TestHTTPServer()
    defer { server.shutdown() }
    server.route("GET", "/endless") { _ in
      .init(body: .trickle(chunk: Self.event, count: 10_000, interval: .milliseconds(20)))
    }
    let client = HTTPClient()
    let response = try await client.stream(HTTPRequest(url: server.url("/endless")))
    let reader = Task {
      var count = 0
      for try await _ in response.body { count += 1 }
      return count
    }
    try await Task.sleep(for: .milliseconds(200))
    reader.cancel()
    await #expect(throws: CancellationError.self) { try await reader.value }
    try await waitFor { server.closedConnectionCount == 1 }

    // A reader that stops iterating and lets the response go ends the transfer too.
    do {
      let second = try await client.stream(HTTPRequest(url: server.url("/endless")))
      for try await _ in second.body { break }
    }
    try await waitFor { server.closedConnectionCount == 2 }
    #expect(server.connectionCount == 2)
  }

  @Test func aConnectionDroppedMidBodyThrowsAndIsNotRetried() async throws {
    let server = try TestHTTPServer()
    defer { server.shutdown() }
    server.route("GET", "/cut") { _ in
      .init(body: .truncated(declaredLength: 1 << 20, sentLength: 100_000))
    }
    let client = HTTPClient()
    let response = try await client.stream(HTTPRequest(url: server.url("/cut")))
    #expect(response.status == 200)
    var received = 0
    let error = await #expect(throws: HTTPError.self) {
      for try await chunk in response.body { received += chunk.count }
    }
    guard case .connectionLost(let url, _)? = error else {
      Issue.record("expected connectionLost, got \(String(describing: error))")
      return
    }
    #expect(url.hasSuffix("/cut"))
    #expect(received == 100_000)
    #expect(server.requestCount(path: "/cut") == 1)
  }

  @Test func aStalledStreamFailsWithTheLowSpeedLimitWhenOneIsSet() async throws {
    let server = try TestHTTPServer()
    defer { server.shutdown() }
    server.route("GET", "/stall") { _ in
      .init(body: .trickle(chunk: Self.event, count: 2, interval: .seconds(4)))
    }
    let client = HTTPClient()
    var request = HTTPRequest(url: server.url("/stall"))
    request.timeouts = HTTPTimeouts(
      lowSpeed: .init(bytesPerSecond: 1, duration: .seconds(1)))
    let error = await #expect(throws: HTTPError.self) {
      let response = try await client.stream(request)
      for try await _ in response.body {}
    }
    guard case .timedOut(.lowSpeed, _, _)? = error else {
      Issue.record("expected a low-speed timeout, got \(String(describing: error))")
      return
    }
  }

  @Test func anErrorStatusHasItsHeadersAndBodyAndRetryableOnesAreRetried() async throws {
    let server = try TestHTTPServer()
    defer { server.shutdown() }
    server.route("GET", "/denied") { _ in
      .text("{\"reason\":\"Forbidden\"}", status: 403, headers: [("X-Reason", "policy")])
    }
    server.route(
      "GET", "/busy",
      sequence: [
        .text("busy", status: 503, headers: [("Retry-After", "0")]),
        .init(body: .trickle(chunk: Self.event, count: 2, interval: .milliseconds(10))),
      ])
    let client = HTTPClient()
    let denied = try await client.stream(HTTPRequest(url: server.url("/denied")))
    #expect(denied.status == 403)
    #expect(!denied.isSuccess)
    #expect(denied.headers["X-Reason"] == "policy")
    let collected = try await denied.collected()
    #expect(collected.text == "{\"reason\":\"Forbidden\"}")
    #expect(throws: HTTPError.self) { try collected.ensureSuccess() }

    let busy = try await client.stream(HTTPRequest(url: server.url("/busy")))
    #expect(busy.status == 200)
    #expect(busy.attempts == 2)
    #expect(try await busy.collected().body == Data(Self.event + Self.event))
  }

  @Test func redirectsAreFollowedBeforeTheHeadIsReturned() async throws {
    let server = try TestHTTPServer()
    defer { server.shutdown() }
    server.route("GET", "/old") { _ in .redirect(to: "/new") }
    server.route("GET", "/new") { _ in .text("moved here") }
    let response = try await HTTPClient().stream(HTTPRequest(url: server.url("/old")))
    #expect(response.status == 200)
    #expect(response.url.path == "/new")
    #expect(try await response.collected().text == "moved here")
  }

  /// Polls `condition` (state the server changes on its own thread) for up to five seconds.
  func waitFor(_ condition: () -> Bool) async throws {
    for _ in 0..<500 {
      if condition() { return }
      try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met in 5 seconds")
  }
}
