import Foundation
import HTTP
import TestSupport
import Testing

@Suite struct HTTPRetryTests {
  let server: TestHTTPServer
  /// Short backoff so the tests stay quick; the policy's shape is what is under test.
  let client = HTTPClient(
    configuration: HTTPClientConfiguration(
      retryPolicy: RetryPolicy(initialBackoff: .milliseconds(20))))

  init() throws {
    server = try TestHTTPServer()
  }

  @Test func serviceUnavailableTwiceThenSuccess() async throws {
    server.route(
      "GET", "/flaky",
      sequence: [.text("busy", status: 503), .text("busy", status: 503), .text("ok")])
    let response = try await client.get(server.url("/flaky"))
    #expect(response.status == 200)
    #expect(response.text == "ok")
    #expect(response.attempts == 3)
    #expect(server.requestCount(path: "/flaky") == 3)
  }

  @Test func postIsNotRetried() async throws {
    server.route("POST", "/create", sequence: [.text("busy", status: 503), .text("created")])
    let response = try await client.execute(
      HTTPRequest(method: .post, url: server.url("/create"), body: .bytes(Data("x".utf8))))
    #expect(response.status == 503)
    #expect(server.requestCount(path: "/create") == 1)
  }

  @Test func postMarkedSafeToRepeatIsRetried() async throws {
    server.route("POST", "/idempotent", sequence: [.text("busy", status: 503), .text("created")])
    var request = HTTPRequest(
      method: .post, url: server.url("/idempotent"), body: .bytes(Data("x".utf8)))
    request.isSafeToRepeat = true
    let response = try await client.execute(request)
    #expect(response.text == "created")
    #expect(server.requests.map(\.bodyText) == ["x", "x"])
  }

  @Test func tooManyRequestsHonoursRetryAfterSeconds() async throws {
    server.route(
      "GET", "/limited",
      sequence: [.text("slow down", status: 429, headers: [("Retry-After", "1")]), .text("ok")])
    let start = ContinuousClock.now
    let response = try await client.get(server.url("/limited"))
    let elapsed = ContinuousClock.now - start
    #expect(response.text == "ok")
    #expect(elapsed >= .seconds(1))
    #expect(elapsed < .seconds(20))
  }

  @Test func retryAfterAsHTTPDateIsHonoured() async throws {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    server.route("GET", "/dated") { _ in
      // Two seconds ahead, with the header's one-second resolution: a wait of 1 to 2 s.
      .text("later", status: 503, headers: [("Retry-After", formatter.string(from: Date() + 2))])
    }
    let policy = RetryPolicy(maximumAttempts: 2, initialBackoff: .milliseconds(1))
    var request = HTTPRequest(url: server.url("/dated"))
    request.retryPolicy = policy
    let start = ContinuousClock.now
    let response = try await client.execute(request)
    #expect(response.attempts == 2)
    #expect(ContinuousClock.now - start >= .milliseconds(900))
  }

  @Test func retryAfterBeyondTheLimitReturnsTheResponseAtOnce() async throws {
    server.route("GET", "/closed") { _ in
      .text("come back tomorrow", status: 503, headers: [("Retry-After", "86400")])
    }
    let start = ContinuousClock.now
    let response = try await client.get(server.url("/closed"))
    #expect(response.status == 503)
    #expect(response.attempts == 1)
    // Bounds in these tests are loose on purpose: tests run in parallel on a busy machine.
    #expect(ContinuousClock.now - start < .seconds(20))
  }

  @Test func givesUpAfterTheCapWithTheLastResponse() async throws {
    server.route("GET", "/down") { _ in .text("maintenance", status: 503) }
    let response = try await client.get(server.url("/down"))
    #expect(response.status == 503)
    #expect(response.attempts == 3)
    #expect(server.requestCount(path: "/down") == 3)
    #expect(throws: HTTPError.self) { try response.ensureSuccess() }
    do {
      try response.ensureSuccess()
    } catch {
      #expect(
        error.description == "HTTP 503 from \(server.url("/down")) after 3 attempts: maintenance")
    }
  }

  @Test func connectionErrorsAreRetriedThenReported() async throws {
    server.route("GET", "/cut") { _ in
      TestHTTPServer.Response(body: .truncated(declaredLength: 100_000, sentLength: 1000))
    }
    await #expect {
      try await client.get(server.url("/cut"))
    } throws: { error in
      guard case .retriesExhausted(3, let last) = error as? HTTPError,
        case .connectionLost(let url, _) = last
      else { return false }
      return url == server.url("/cut").absoluteString
        && "\(error)".hasPrefix("gave up after 3 attempts: connection lost during the request to")
    }
    #expect(server.requestCount(path: "/cut") == 3)
  }

  @Test func bodyCutShortOnceIsRetriedIntoAFileFromTheStart() async throws {
    let directory = try TemporaryDirectory()
    server.route(
      "GET", "/once",
      sequence: [
        TestHTTPServer.Response(body: .truncated(declaredLength: 200_000, sentLength: 150_000)),
        TestHTTPServer.Response(body: .generated(length: 200_000)),
      ])
    let target = directory.file("once.bin").path
    let response = try await client.download(server.url("/once"), to: target)
    #expect(response.attempts == 2)
    let data = try Data(contentsOf: URL(fileURLWithPath: target))
    #expect(data == Data((0..<200_000).map { TestHTTPServer.generatedByte(at: $0) }))
  }

  @Test func fileBodyIsResentFromTheStartOnRetry() async throws {
    let directory = try TemporaryDirectory()
    let source = directory.file("body.txt")
    try Data("the whole body".utf8).write(to: source)
    server.route("PUT", "/put", sequence: [.text("busy", status: 502), .text("stored")])
    let response = try await client.send(.file(path: source.path), to: server.url("/put"))
    #expect(response.text == "stored")
    #expect(server.requests.map(\.bodyText) == ["the whole body", "the whole body"])
  }

  @Test func notImplementedIsNotRetried() async throws {
    server.route("GET", "/never") { _ in .text("no", status: 501) }
    let response = try await client.get(server.url("/never"))
    #expect(response.status == 501)
    #expect(server.requestCount(path: "/never") == 1)
  }
}

@Suite struct RetryPolicyTests {
  @Test func backoffGrowsExponentiallyWithinJitterBoundsAndCap() {
    let policy = RetryPolicy(
      maximumAttempts: 10, initialBackoff: .milliseconds(100), multiplier: 2,
      maximumBackoff: .seconds(1))
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<200 {
      let first = policy.backoff(afterAttempt: 1, using: &generator)
      let second = policy.backoff(afterAttempt: 2, using: &generator)
      let late = policy.backoff(afterAttempt: 8, using: &generator)
      #expect(first >= .milliseconds(50) && first <= .milliseconds(100))
      #expect(second >= .milliseconds(100) && second <= .milliseconds(200))
      #expect(late >= .milliseconds(500) && late <= .seconds(1))
    }
  }

  @Test func defaultPolicyMakesThreeAttempts() {
    #expect(RetryPolicy.default.maximumAttempts == 3)
    #expect(RetryPolicy.never.maximumAttempts == 1)
  }

  @Test func retryableStatuses() {
    #expect(RetryPolicy.isRetryable(status: 429))
    #expect(RetryPolicy.isRetryable(status: 500))
    #expect(RetryPolicy.isRetryable(status: 503))
    #expect(!RetryPolicy.isRetryable(status: 501))
    #expect(!RetryPolicy.isRetryable(status: 404))
    #expect(!RetryPolicy.isRetryable(status: 200))
  }

  @Test func retryAfterParsesSecondsAndAllThreeDateFormats() {
    let now = Date(timeIntervalSince1970: 784_111_767)  // Sun, 06 Nov 1994 08:49:27 GMT
    #expect(RetryPolicy.retryAfter("120", now: now) == .seconds(120))
    #expect(RetryPolicy.retryAfter(" 0 ", now: now) == .zero)
    #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .seconds(10))
    #expect(RetryPolicy.retryAfter("Sunday, 06-Nov-94 08:49:47 GMT", now: now) == .seconds(20))
    #expect(RetryPolicy.retryAfter("Sun Nov  6 08:49:57 1994", now: now) == .seconds(30))
    #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero)
    #expect(RetryPolicy.retryAfter("-5", now: now) == nil)
    #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
  }
}
