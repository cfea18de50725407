import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP/1.1 server inside the test process, on 127.0.0.1 and an ephemeral port.
///
/// Tests register a handler per method and path; the server records every request, counts
/// connections, and can delay responses, cut a body short by closing the connection, trickle a
/// body slowly, or stream a large generated body without holding it in memory. Requests without a
/// handler get 404. Handlers run on the server's event loop: they must return quickly (use
/// `Response.delay` to make the client wait).
public final class TestHTTPServer: Sendable {
  /// A request as the server received it.
  public struct Request: Sendable {
    public let method: String
    public let path: String
    /// The query string without the `?`, or nil.
    public let query: String?
    public let headers: [HeaderField]
    /// The body, when the route collects bodies (the default); empty otherwise.
    public let body: [UInt8]
    /// The body's length in bytes, counted even when it was not collected.
    public let bodyLength: Int
    /// Which connection (numbered from 1 in accept order) carried the request.
    public let connectionNumber: Int

    /// The first value of header `name` (any case).
    public func header(_ name: String) -> String? {
      headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
  }

  public struct HeaderField: Sendable, Equatable {
    public let name: String
    public let value: String
  }

  /// What a handler answers.
  public struct Response: Sendable {
    public enum Body: Sendable {
      case bytes([UInt8])
      /// `length` bytes of `TestHTTPServer.generatedByte(at:)`, produced as they are sent.
      case generated(length: Int)
      /// Announces `declaredLength` bytes, sends `sentLength` of them, then closes the connection.
      case truncated(declaredLength: Int, sentLength: Int)
      /// Sends `chunk` `count` times, pausing `interval` before each one.
      case trickle(chunk: [UInt8], count: Int, interval: Duration)
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Body
    /// How long to wait before answering.
    public var delay: Duration?

    public init(
      status: Int = 200, headers: [(String, String)] = [], body: Body = .bytes([]),
      delay: Duration? = nil
    ) {
      self.status = status
      self.headers = headers
      self.body = body
      self.delay = delay
    }

    /// A text response.
    public static func text(_ text: String, status: Int = 200, headers: [(String, String)] = [])
      -> Response
    {
      Response(
        status: status, headers: [("Content-Type", "text/plain; charset=utf-8")] + headers,
        body: .bytes(Array(text.utf8)))
    }

    /// A redirect to `location` (relative or absolute).
    public static func redirect(to location: String, status: Int = 302) -> Response {
      Response(status: status, headers: [("Location", location)])
    }
  }

  public typealias Handler = @Sendable (Request) -> Response

  /// The byte at `offset` of every generated body: a pattern with period 251 (a prime, so it
  /// does not line up with buffer sizes and a misplaced chunk shows).
  public static func generatedByte(at offset: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: offset % 251)
  }

  public let port: Int
  private let state = ServerState()
  private let group: MultiThreadedEventLoopGroup
  private let channel: any Channel

  /// Starts listening on 127.0.0.1 at a port the system picks.
  public init() throws {
    group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let state = self.state
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          let number = state.connectionOpened()
          try channel.pipeline.syncOperations.configureHTTPServerPipeline()
          try channel.pipeline.syncOperations.addHandler(
            RequestHandler(state: state, connectionNumber: number))
        }
      }
    do {
      channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
    } catch {
      try? group.syncShutdownGracefully()
      throw error
    }
    port = channel.localAddress?.port ?? 0
  }

  deinit { shutdown() }

  /// Stops listening, closes connections and the event loop; idempotent.
  public func shutdown() {
    guard state.markShutDown() else { return }
    try? channel.close().wait()
    try? group.syncShutdownGracefully()
  }

  /// `http://127.0.0.1:PORT` followed by `pathAndQuery` (which starts with `/`).
  public func url(_ pathAndQuery: String) -> URL {
    URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)")!
  }

  /// Answers `method` requests to `path` (without query) with `handler`. With `collectBody` false
  /// the body is only counted, so multi-GiB uploads need no memory.
  public func route(
    _ method: String, _ path: String, collectBody: Bool = true, _ handler: @escaping Handler
  ) {
    state.setRoute(method: method, path: path, Route(collectsBody: collectBody, handler: handler))
  }

  /// Answers successive requests with successive responses; the last one repeats.
  public func route(_ method: String, _ path: String, sequence responses: [Response]) {
    let next = Mutex(0)
    route(method, path) { _ in
      let index = next.withLock { index in
        defer { index += 1 }
        return index
      }
      return responses[min(index, responses.count - 1)]
    }
  }

  /// Every request received so far, in order.
  public var requests: [Request] { state.recordedRequests() }

  /// How many requests reached `path` (any method, query ignored).
  public func requestCount(path: String) -> Int {
    requests.filter { $0.path == path }.count
  }

  /// How many connections were accepted.
  public var connectionCount: Int { state.connectionTotal() }
}

/// A route's handler and whether it wants request bodies in memory.
struct Route: Sendable {
  let collectsBody: Bool
  let handler: TestHTTPServer.Handler
}

/// What the server's connections share.
final class ServerState: Sendable {
  private struct Values {
    var routes: [String: Route] = [:]
    var requests: [TestHTTPServer.Request] = []
    var connections = 0
    var shutDown = false
  }
  private let values = Mutex(Values())

  func connectionOpened() -> Int {
    values.withLock { values in
      values.connections += 1
      return values.connections
    }
  }

  func connectionTotal() -> Int { values.withLock { $0.connections } }

  func markShutDown() -> Bool {
    values.withLock { values in
      defer { values.shutDown = true }
      return !values.shutDown
    }
  }

  func setRoute(method: String, path: String, _ route: Route) {
    values.withLock { $0.routes["\(method) \(path)"] = route }
  }

  func route(method: String, path: String) -> Route? {
    values.withLock { $0.routes["\(method) \(path)"] }
  }

  func record(_ request: TestHTTPServer.Request) {
    values.withLock { $0.requests.append(request) }
  }

  func recordedRequests() -> [TestHTTPServer.Request] { values.withLock { $0.requests } }
}

/// Parses requests on one connection, calls the route's handler, writes the response.
final class RequestHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private let state: ServerState
  private let connectionNumber: Int
  private var head: HTTPRequestHead?
  private var route: Route?
  private var body: [UInt8] = []
  private var bodyLength = 0

  init(state: ServerState, connectionNumber: Int) {
    self.state = state
    self.connectionNumber = connectionNumber
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head):
      self.head = head
      route = state.route(method: head.method.rawValue, path: Self.path(of: head.uri))
      body = []
      bodyLength = 0
    case .body(var buffer):
      bodyLength += buffer.readableBytes
      if route?.collectsBody ?? true, let bytes = buffer.readBytes(length: buffer.readableBytes) {
        body += bytes
      }
    case .end:
      guard let head else { return }
      let components = head.uri.split(separator: "?", maxSplits: 1)
      let request = TestHTTPServer.Request(
        method: head.method.rawValue, path: Self.path(of: head.uri),
        query: components.count > 1 ? String(components[1]) : nil,
        headers: head.headers.map { TestHTTPServer.HeaderField(name: $0.name, value: $0.value) },
        body: body, bodyLength: bodyLength, connectionNumber: connectionNumber)
      state.record(request)
      let response =
        route?.handler(request)
        ?? .text("no route for \(request.method) \(request.path)", status: 404)
      let writer = ResponseWriter(
        context: context, handler: self, response: response,
        keepAlive: head.isKeepAlive, isHead: head.method == .HEAD)
      if let delay = response.delay {
        context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(delay.nanoseconds)) {
          writer.start()
        }
      } else {
        writer.start()
      }
      self.head = nil
    }
  }

  private static func path(of uri: String) -> String {
    String(uri.split(separator: "?", maxSplits: 1).first ?? "")
  }

  fileprivate func wrap(_ part: HTTPServerResponsePart) -> NIOAny { wrapOutboundOut(part) }
}

/// Writes one response, streaming generated bodies a megabyte at a time so memory stays flat.
private struct ResponseWriter {
  let context: ChannelHandlerContext
  let handler: RequestHandler
  let response: TestHTTPServer.Response
  let keepAlive: Bool
  let isHead: Bool

  private static let chunkSize = 64 * 1024

  func start() {
    var headers = HTTPHeaders(response.headers)
    let length: Int
    switch response.body {
    case .bytes(let bytes): length = bytes.count
    case .generated(let count): length = count
    case .truncated(let declared, _): length = declared
    case .trickle(let chunk, let count, _): length = chunk.count * count
    }
    if !headers.contains(name: "Content-Length") {
      headers.add(name: "Content-Length", value: String(length))
    }
    if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
    let head = HTTPResponseHead(
      version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
    context.write(handler.wrap(.head(head)), promise: nil)
    if isHead { return finish() }
    switch response.body {
    case .bytes(let bytes):
      context.write(handler.wrap(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
      finish()
    case .generated(let count):
      sendGenerated(from: 0, to: count) { finish() }
    case .truncated(_, let sent):
      sendGenerated(from: 0, to: sent) { context.close(promise: nil) }
    case .trickle(let chunk, let count, let interval):
      trickle(chunk, remaining: count, interval: interval)
    }
  }

  private func finish() {
    let done = context.writeAndFlush(handler.wrap(.end(nil)))
    if !keepAlive {
      let context = self.context
      done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
  }

  /// Sends bytes [offset, end) of the generated pattern: 16 chunks, then waits until they are
  /// written before producing more (back-pressure without buffering the whole body).
  private func sendGenerated(from offset: Int, to end: Int, then done: @escaping () -> Void) {
    guard offset < end, context.channel.isActive else { return done() }
    var position = offset
    var last: EventLoopFuture<Void>?
    for _ in 0..<16 where position < end {
      let count = min(Self.chunkSize, end - position)
      var buffer = context.channel.allocator.buffer(capacity: count)
      let start = position
      buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
        for index in 0..<count {
          pointer[index] = TestHTTPServer.generatedByte(at: start + index)
        }
        return count
      }
      position += count
      last = context.write(handler.wrap(.body(.byteBuffer(buffer))))
    }
    context.flush()
    let next = position
    last?.assumeIsolated().whenComplete { result in
      if case .failure = result { return }
      self.sendGenerated(from: next, to: end, then: done)
    }
  }

  private func trickle(_ chunk: [UInt8], remaining: Int, interval: Duration) {
    guard remaining > 0 else { return finish() }
    context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(interval.nanoseconds)) {
      guard self.context.channel.isActive else { return }
      self.context.writeAndFlush(
        self.handler.wrap(.body(.byteBuffer(ByteBuffer(bytes: chunk)))), promise: nil)
      self.trickle(chunk, remaining: remaining - 1, interval: interval)
    }
  }
}

extension Duration {
  var nanoseconds: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }
}
