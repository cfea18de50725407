import NIOCore
import NIOHTTP1

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

  func channelInactive(context: ChannelHandlerContext) {
    state.connectionClosed()
    context.fireChannelInactive()
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
