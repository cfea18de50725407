import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import YAML

/// The connection a watch streams its events to, as chunks of one long response.
final class KubeAPIServerWatchConnection: @unchecked Sendable {
  private let channel: Channel

  init(channel: Channel) { self.channel = channel }

  var isOpen: Bool { channel.isActive }

  /// Writes one chunk, or with nil ends the response and closes the connection.
  func write(_ bytes: [UInt8]?) {
    let channel = channel
    channel.eventLoop.execute {
      guard channel.isActive else { return }
      if let bytes {
        let buffer = channel.allocator.buffer(bytes: bytes)
        channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
      } else {
        channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in
          channel.close(promise: nil)
        }
      }
    }
  }
}

/// HTTP/1.1 for the test API server: collects a request, hands it to the server, writes the reply.
final class KubeAPIServerHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private let server: KubeAPIServer
  private let readsClientCertificate: Bool
  private var head: HTTPRequestHead?
  private var body: [UInt8] = []

  init(server: KubeAPIServer, readsClientCertificate: Bool) {
    self.server = server
    self.readsClientCertificate = readsClientCertificate
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head):
      self.head = head
      body = []
    case .body(var buffer):
      body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
    case .end:
      guard let head else { return }
      var headers: [String: String] = [:]
      for (name, value) in head.headers { headers[name.lowercased()] = value }
      let request = KubeAPIServerRequest(
        method: head.method.rawValue, uri: head.uri, headers: headers, body: body,
        clientCertificateUser: clientCertificateUser(context))
      let clock = ContinuousClock()
      let started = clock.now
      reply(server.handle(request), keepAlive: head.isKeepAlive, channel: context.channel)
      server.addHandlingTime(started.duration(to: clock.now))
    }
  }

  private func clientCertificateUser(_ context: ChannelHandlerContext) -> String? {
    guard readsClientCertificate,
      let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
      let certificate = handler.peerCertificate
    else { return nil }
    return certificate.subjectName.last { $0.type == .commonName }?.value
  }

  /// Writes through the channel rather than the handler context: a delayed reply may run after
  /// the client closed the connection and the context left the pipeline.
  private func reply(_ reply: KubeAPIServerReply, keepAlive: Bool, channel: Channel) {
    switch reply {
    case .json(let code, let value, let extraHeaders):
      let bytes = KubeAPIServerJSON.encode(value)
      var headers = HTTPHeaders()
      headers.add(name: "Content-Type", value: "application/json")
      headers.add(name: "Content-Length", value: String(bytes.count))
      headers.add(name: "Audit-Id", value: UUID().uuidString.lowercased())
      for (name, value) in extraHeaders { headers.add(name: name, value: value) }
      if !keepAlive { headers.add(name: "Connection", value: "close") }
      let head = HTTPResponseHead(
        version: .http1_1, status: .init(statusCode: code), headers: headers)
      channel.write(HTTPServerResponsePart.head(head), promise: nil)
      channel.write(
        HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: bytes))),
        promise: nil)
      let done = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
      if !keepAlive { done.whenComplete { _ in channel.close(promise: nil) } }
    case .watch(let start, let timeout):
      var headers = HTTPHeaders()
      headers.add(name: "Content-Type", value: "application/json")
      headers.add(name: "Transfer-Encoding", value: "chunked")
      // The connection closes when the watch ends; said up front so that no client sends its
      // next request on it and loses the answer.
      headers.add(name: "Connection", value: "close")
      channel.writeAndFlush(
        HTTPServerResponsePart.head(
          HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)),
        promise: nil)
      let connection = KubeAPIServerWatchConnection(channel: channel)
      start(connection)
      if let timeout {
        channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
          connection.write(nil)
        }
      }
    case .delayed(let seconds, let later):
      let pending = NIOLoopBound((self, later, keepAlive), eventLoop: channel.eventLoop)
      channel.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
        let (handler, later, keepAlive) = pending.value
        guard channel.isActive else { return }
        handler.reply(later(), keepAlive: keepAlive, channel: channel)
      }
    case .drop:
      channel.close(promise: nil)
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }
}
