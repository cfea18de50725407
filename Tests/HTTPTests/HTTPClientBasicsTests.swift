import Foundation
import HTTP
import Synchronization
import TestSupport
import Testing

@Suite struct HTTPClientBasicsTests {
  let server: TestHTTPServer
  let client = HTTPClient()

  init() throws {
    server = try TestHTTPServer()
  }

  @Test func getReturnsStatusHeadersBodyAndVersion() async throws {
    server.route("GET", "/hello") { request in
      .text("hello \(request.query ?? "")", headers: [("X-Answer", "42")])
    }
    let response = try await client.get(server.url("/hello?name=tripgen"))
    #expect(response.status == 200)
    #expect(response.text == "hello name=tripgen")
    #expect(response.headers["x-answer"] == "42")
    #expect(response.headers["CONTENT-TYPE"] == "text/plain; charset=utf-8")
    #expect(response.version == .http11)
    #expect(response.url == server.url("/hello?name=tripgen"))
    #expect(response.attempts == 1)
  }

  @Test func eachMethodReachesTheServerWithItsBody() async throws {
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
      server.route(method, "/echo") { request in
        .text("\(request.method) \(request.bodyText) \(request.header("Content-Length") ?? "-")")
      }
    }
    for method in [HTTPMethod.post, .put, .patch, .delete] {
      let response = try await client.execute(
        HTTPRequest(method: method, url: server.url("/echo"), body: .bytes(Data("payload".utf8))))
      #expect(response.text == "\(method.rawValue) payload 7")
    }
    let deleteWithoutBody = try await client.execute(
      HTTPRequest(method: .delete, url: server.url("/echo")))
    #expect(deleteWithoutBody.text == "DELETE  -")
    // curl must not label a POST as a form, nor wait for "100 Continue".
    let post = try #require(server.requests.first { $0.method == "POST" })
    #expect(post.header("Content-Type") == nil)
    #expect(post.header("Expect") == nil)
  }

  @Test func headReturnsHeadersWithoutBody() async throws {
    server.route("HEAD", "/file") { _ in
      TestHTTPServer.Response(status: 200, body: .generated(length: 1000))
    }
    let response = try await client.execute(HTTPRequest(method: .head, url: server.url("/file")))
    #expect(response.status == 200)
    #expect(response.headers["Content-Length"] == "1000")
    #expect(response.body.isEmpty)
  }

  @Test func headersTravelBothWaysWithRepeatsKept() async throws {
    server.route("GET", "/headers") { request in
      let seen = request.headers.filter { $0.name.lowercased().hasPrefix("x-") }
        .map { "\($0.name)=\($0.value)" }.joined(separator: ",")
      return .text(seen, headers: [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("X-Empty", "")])
    }
    let headers: HTTPHeaders = ["X-One": "1", "X-Two": "two words", "X-Blank": ""]
    let response = try await client.get(server.url("/headers"), headers: headers)
    #expect(response.text == "X-One=1,X-Two=two words,X-Blank=")
    #expect(response.headers.values(for: "set-cookie") == ["a=1", "b=2"])
    #expect(response.headers["X-Empty"] == "")
    #expect(server.requests.first?.header("User-Agent") == "tripgen-deploy")
  }

  @Test func requestBodyStreamsFromFileAndResponseToFile() async throws {
    let directory = try TemporaryDirectory()
    let source = directory.file("source.bin").path
    let length = 3 * 1024 * 1024 + 17
    let bytes = (0..<length).map { TestHTTPServer.generatedByte(at: $0) }
    try Data(bytes).write(to: URL(fileURLWithPath: source))
    server.route("PUT", "/upload") { request in
      let intact = request.body == bytes
      return .text("received \(request.bodyLength) intact=\(intact)")
    }
    let upload = try await client.send(.file(path: source), to: server.url("/upload"))
    #expect(upload.text == "received \(length) intact=true")

    server.route("GET", "/download") { _ in
      TestHTTPServer.Response(body: .generated(length: length))
    }
    let target = directory.file("target.bin").path
    let download = try await client.download(server.url("/download"), to: target)
    #expect(download.status == 200)
    #expect(download.body.isEmpty)
    #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(bytes))
  }

  @Test func uncollectedBodiesAreCountedNotKept() async throws {
    server.route("PUT", "/sink", collectBody: false) { request in
      .text("\(request.bodyLength) \(request.body.count)")
    }
    let response = try await client.send(.bytes(Data(count: 16 << 20)), to: server.url("/sink"))
    #expect(response.text == "\(16 << 20) 0")
  }

  @Test func missingBodyFileIsAFileError() async throws {
    let request = HTTPRequest(
      method: .put, url: server.url("/upload"), body: .file(path: "/nonexistent/body.bin"))
    await #expect {
      try await client.execute(request)
    } throws: { error in
      guard case .fileError(let path, _, let reason) = error as? HTTPError else { return false }
      return path == "/nonexistent/body.bin" && reason == "No such file or directory"
    }
    #expect(server.requests.isEmpty)
  }

  @Test func progressReportsBothDirections() async throws {
    server.route("POST", "/progress") { request in
      TestHTTPServer.Response(body: .generated(length: request.bodyLength * 2))
    }
    let reports = Mutex<[HTTPTransferProgress]>([])
    let body = Data(count: 2 * 1024 * 1024)
    let response = try await client.execute(
      HTTPRequest(method: .post, url: server.url("/progress"), body: .bytes(body)),
      progress: { progress in reports.withLock { $0.append(progress) } })
    #expect(response.body.count == 4 * 1024 * 1024)
    let seen = reports.withLock { $0 }
    let last = try #require(seen.last)
    #expect(last.bytesSent == 2 * 1024 * 1024)
    #expect(last.expectedBytesToSend == Int64(2 * 1024 * 1024))
    #expect(last.bytesReceived == 4 * 1024 * 1024)
    #expect(last.expectedBytesToReceive == Int64(4 * 1024 * 1024))
    // Monotonic, and more than one report: progress is reported as it happens.
    #expect(seen.count > 1)
    #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.bytesReceived <= $1.bytesReceived })
  }

  @Test func sequentialRequestsReuseOneConnection() async throws {
    server.route("GET", "/reuse") { _ in .text("ok") }
    for _ in 0..<5 {
      let response = try await client.get(server.url("/reuse"))
      #expect(response.status == 200)
    }
    #expect(server.connectionCount == 1)
    #expect(Set(server.requests.map(\.connectionNumber)) == [1])
  }

  @Test func ensureSuccessNamesStatusURLAndBody() async throws {
    server.route("GET", "/missing") { _ in .text("no such thing\nreally", status: 404) }
    let response = try await client.get(server.url("/missing"))
    #expect(response.status == 404)
    #expect(throws: HTTPError.self) { try response.ensureSuccess() }
    do {
      try response.ensureSuccess()
    } catch {
      #expect(error.description == "HTTP 404 from \(server.url("/missing")): no such thing really")
    }
  }

  @Test func concurrentRequestsAllComplete() async throws {
    server.route("GET", "/slow") { request in
      TestHTTPServer.Response(
        body: .bytes(Array((request.query ?? "").utf8)), delay: .seconds(1))
    }
    let start = ContinuousClock.now
    let results = try await withThrowingTaskGroup(of: String.self) { group in
      for index in 0..<8 {
        group.addTask { try await client.get(server.url("/slow?\(index)")).text ?? "" }
      }
      return try await group.reduce(into: Set<String>()) { $0.insert($1) }
    }
    #expect(results == Set((0..<8).map(String.init)))
    // In parallel on the loop thread, not one after another (which would take 8 s).
    #expect(ContinuousClock.now - start < .seconds(5))
  }
}
