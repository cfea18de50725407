import Foundation
import HTTP
import Synchronization
import TestSupport
import Testing

/// Connection failures, time limits and cancellation: each must surface as a typed error that
/// says what failed in words. Upper bounds on durations are loose (tests run in parallel on a
/// busy machine); each is still far below what a missing limit would take.
@Suite struct HTTPFailureTests {
  let noRetry = HTTPClientConfiguration(retryPolicy: .never)

  @Test func connectionRefusedNamesHostPortAndReason() async throws {
    let port = try FreePort.pick()
    let client = HTTPClient(configuration: noRetry)
    await #expect {
      try await client.get(URL(string: "http://127.0.0.1:\(port)/")!)
    } throws: { error in
      guard case .connectFailed("127.0.0.1", port, "connection refused", _) = error as? HTTPError
      else { return false }
      return "\(error)" == "couldn't connect to 127.0.0.1:\(port): connection refused"
    }
  }

  @Test func connectionRefusedIsRetriedByDefaultThenReported() async throws {
    let port = try FreePort.pick()
    let client = HTTPClient(
      configuration: HTTPClientConfiguration(
        retryPolicy: RetryPolicy(initialBackoff: .milliseconds(10))))
    await #expect {
      try await client.get(URL(string: "http://127.0.0.1:\(port)/")!)
    } throws: { error in
      guard case .retriesExhausted(3, let last) = error as? HTTPError,
        case .connectFailed = last
      else { return false }
      return "\(error)"
        == "gave up after 3 attempts: couldn't connect to 127.0.0.1:\(port): connection refused"
    }
  }

  @Test func connectTimeoutCoversTheTLSHandshake() async throws {
    // The silent server accepts TCP but never answers the TLS ClientHello.
    let silent = try SilentTCPServer()
    var configuration = noRetry
    configuration.timeouts = HTTPTimeouts(connect: .milliseconds(300))
    let client = HTTPClient(configuration: configuration)
    let url = URL(string: "https://127.0.0.1:\(silent.port)/")!
    let start = ContinuousClock.now
    await #expect {
      try await client.get(url)
    } throws: { error in
      guard case .timedOut(.connect, _, _) = error as? HTTPError else { return false }
      return "\(error)" == "timed out after 300 ms connecting to \(url)"
    }
    #expect(ContinuousClock.now - start < .seconds(10))
  }

  @Test func totalTimeoutNamesTheURL() async throws {
    let server = try TestHTTPServer()
    server.route("GET", "/late") { _ in
      TestHTTPServer.Response(body: .bytes([1]), delay: .seconds(5))
    }
    var configuration = noRetry
    configuration.timeouts = HTTPTimeouts(total: .milliseconds(500))
    let client = HTTPClient(configuration: configuration)
    let start = ContinuousClock.now
    await #expect {
      try await client.get(server.url("/late"))
    } throws: { error in
      guard case .timedOut(.total, .milliseconds(500), _) = error as? HTTPError else {
        return false
      }
      return "\(error)" == "timed out after 500 ms waiting for \(server.url("/late"))"
    }
    #expect(ContinuousClock.now - start < .seconds(10))
  }

  @Test func lowSpeedLimitStopsATricklingTransfer() async throws {
    let server = try TestHTTPServer()
    server.route("GET", "/trickle") { _ in
      TestHTTPServer.Response(
        body: .trickle(chunk: Array("x".utf8), count: 100, interval: .milliseconds(100)))
    }
    var configuration = noRetry
    configuration.timeouts = HTTPTimeouts(
      lowSpeed: .init(bytesPerSecond: 1000, duration: .seconds(1)))
    let client = HTTPClient(configuration: configuration)
    let start = ContinuousClock.now
    await #expect {
      try await client.get(server.url("/trickle"))
    } throws: { error in
      guard case .timedOut(.lowSpeed(1000), .seconds(1), _) = error as? HTTPError else {
        return false
      }
      return "\(error)"
        == "transfer with \(server.url("/trickle")) stalled: less than 1000 bytes/s for 1 s"
    }
    #expect(ContinuousClock.now - start < .seconds(10))
  }

  @Test func cancellingTheTaskRemovesTheTransfer() async throws {
    let server = try TestHTTPServer()
    server.route("GET", "/endless") { _ in
      TestHTTPServer.Response(
        body: .trickle(
          chunk: Array(repeating: 0x61, count: 100), count: 600, interval: .milliseconds(50)))
    }
    server.route("GET", "/after") { _ in .text("still works") }
    let client = HTTPClient()
    let received = Mutex<Int64>(0)
    let task = Task {
      try await client.execute(
        HTTPRequest(url: server.url("/endless")),
        progress: { progress in received.withLock { $0 = progress.bytesReceived } })
    }
    // Cancel once the body is flowing, so the transfer is inside curl.
    while received.withLock({ $0 }) < 300 { try await Task.sleep(for: .milliseconds(20)) }
    let start = ContinuousClock.now
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(ContinuousClock.now - start < .seconds(5))
    // The client stays usable.
    #expect(try await client.get(server.url("/after")).text == "still works")
  }

  @Test func cancellingBeforeTheStartNeverSendsTheRequest() async throws {
    let server = try TestHTTPServer()
    server.route("GET", "/never") { _ in .text("no") }
    let client = HTTPClient()
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await client.get(server.url("/never"))
    }
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(server.requests.isEmpty)
  }

  @Test func shuttingTheClientDownFailsTransfersInFlight() async throws {
    let server = try TestHTTPServer()
    server.route("GET", "/slow") { _ in
      TestHTTPServer.Response(body: .bytes([1]), delay: .seconds(5))
    }
    let client = HTTPClient(configuration: noRetry)
    let task = Task { try await client.get(server.url("/slow")) }
    try await Task.sleep(for: .milliseconds(200))
    client.shutdown()
    await #expect {
      try await task.value
    } throws: { error in
      (error as? HTTPError) == .cancelled(url: server.url("/slow").absoluteString)
    }
  }

  @Test func unsupportedSchemeIsAnInvalidURL() async throws {
    let client = HTTPClient(configuration: noRetry)
    await #expect {
      try await client.get(URL(string: "ftp://127.0.0.1/file")!)
    } throws: { error in
      guard case .invalidURL = error as? HTTPError else { return false }
      return true
    }
  }
}
