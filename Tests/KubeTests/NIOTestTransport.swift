import Foundation
import Kube
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A `KubeTransport` over plain SwiftNIO, for tests only: one connection per request, TLS with
/// the request's CA, client certificate and server name. The product's transport is the HTTP
/// module's; this exists so the client can be tested before that module is merged.
final class NIOTestTransport: KubeTransport, @unchecked Sendable {
  private let group = MultiThreadedEventLoopGroup.singleton

  func send(_ request: KubeRequest) async throws -> KubeResponse {
    guard let timeout = request.timeout else { return try await sendWithoutTimeout(request) }
    return try await withThrowingTaskGroup(of: KubeResponse?.self) { group in
      group.addTask { try await self.sendWithoutTimeout(request) }
      group.addTask {
        try await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
        return nil
      }
      let first = try await group.next()!
      group.cancelAll()
      guard let first else { throw TransportError.timedOut(request.url, timeout) }
      return first
    }
  }

  func sendWithoutTimeout(_ request: KubeRequest) async throws -> KubeResponse {
    let streaming = try await stream(request)
    var body: [UInt8] = []
    for try await chunk in streaming.body { body += chunk }
    return KubeResponse(status: streaming.status, headers: streaming.headers, body: body)
  }

  func stream(_ request: KubeRequest) async throws -> KubeStreamingResponse {
    guard let url = URLComponents(string: request.url), let host = url.host,
      let scheme = url.scheme
    else { throw TransportError.badURL(request.url) }
    let port = url.port ?? (scheme == "https" ? 443 : 80)
    let sslContext: NIOSSLContext? =
      try scheme != "https"
      ? nil
      : {
        var tls = TLSConfiguration.makeClientConfiguration()
        if request.tls.insecureSkipVerify {
          tls.certificateVerification = .none
        } else if let ca = request.tls.certificateAuthorityPEM {
          tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
        }
        if let certificate = request.tls.clientCertificatePEM, let key = request.tls.clientKeyPEM {
          tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map {
            .certificate($0)
          }
          tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
        }
        return try NIOSSLContext(configuration: tls)
      }()
    let serverName = request.tls.serverName ?? host
    let (headStream, headContinuation) = AsyncThrowingStream.makeStream(of: HTTPResponseHead.self)
    let (bodyStream, bodyContinuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
    let handler = ResponseHandler(head: headContinuation, body: bodyContinuation)
    let channel = try await ClientBootstrap(group: group)
      .connectTimeout(.seconds(10))
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          if let sslContext {
            let isAddress = serverName.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
            try channel.pipeline.syncOperations.addHandler(
              NIOSSLClientHandler(context: sslContext, serverHostname: isAddress ? nil : serverName)
            )
          }
          try channel.pipeline.syncOperations.addHTTPClientHandlers()
          try channel.pipeline.syncOperations.addHandler(handler)
        }
      }
      .connect(host: host, port: port).get()
    bodyContinuation.onTermination = { _ in channel.close(promise: nil) }
    var target = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
    if let query = url.percentEncodedQuery { target += "?" + query }
    var headers = HTTPHeaders()
    headers.add(name: "Host", value: "\(host):\(port)")
    for header in request.headers { headers.add(name: header.name, value: header.value) }
    headers.add(name: "Content-Length", value: String(request.body?.count ?? 0))
    headers.add(name: "Connection", value: "close")
    let head = HTTPRequestHead(
      version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target, headers: headers
    )
    channel.write(HTTPClientRequestPart.head(head), promise: nil)
    if let body = request.body {
      channel.write(
        HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil
      )
    }
    // A failed write means the connection closed (a TLS handshake refused, say); the handler
    // has the reason, and the head stream reports it.
    try? await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
    var iterator = headStream.makeAsyncIterator()
    let responseHead = try await withTaskCancellationHandler {
      try await iterator.next()
    } onCancel: {
      channel.close(promise: nil)
    }
    guard let responseHead else { throw TransportError.noResponse(request.url) }
    return KubeStreamingResponse(
      status: Int(responseHead.status.code),
      headers: responseHead.headers.map { (name: $0.name, value: $0.value) }, body: bodyStream)
  }

  enum TransportError: Error {
    case badURL(String)
    case noResponse(String)
    case closedEarly
    case timedOut(String, Double)
  }

  private final class ResponseHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    let head: AsyncThrowingStream<HTTPResponseHead, any Error>.Continuation
    let body: AsyncThrowingStream<[UInt8], any Error>.Continuation
    var sawEnd = false

    init(
      head: AsyncThrowingStream<HTTPResponseHead, any Error>.Continuation,
      body: AsyncThrowingStream<[UInt8], any Error>.Continuation
    ) {
      self.head = head
      self.body = body
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      switch unwrapInboundIn(data) {
      case .head(let value):
        head.yield(value)
        head.finish()
      case .body(var buffer):
        body.yield(buffer.readBytes(length: buffer.readableBytes) ?? [])
      case .end:
        sawEnd = true
        body.finish()
        context.close(promise: nil)
      }
    }

    func channelInactive(context: ChannelHandlerContext) {
      head.finish(throwing: TransportError.closedEarly)
      if !sawEnd { body.finish(throwing: TransportError.closedEarly) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
      head.finish(throwing: error)
      body.finish(throwing: error)
      context.close(promise: nil)
    }
  }
}
