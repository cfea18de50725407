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
    let channel = try await ClientBootstrap(group: group)
      .connectTimeout(.seconds(10))
      .connect(host: host, port: port) { channel in
        channel.eventLoop.makeCompletedFuture {
          if let sslContext {
            let isAddress = serverName.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
            try channel.pipeline.syncOperations.addHandler(
              NIOSSLClientHandler(context: sslContext, serverHostname: isAddress ? nil : serverName)
            )
          }
          try channel.pipeline.syncOperations.addHTTPClientHandlers()
          return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
            wrappingChannelSynchronously: channel)
        }
      }
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
    let body = request.body

    let (headStream, headContinuation) = AsyncThrowingStream.makeStream(of: HTTPResponseHead.self)
    let (bodyStream, bodyContinuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
    // One task owns the connection: it writes the request, reads the response into the two
    // streams, and closes the connection when done or cancelled.
    let exchange = Task {
      do {
        try await channel.executeThenClose { inbound, outbound in
          var parts: [HTTPClientRequestPart] = [.head(head)]
          if let body { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
          parts.append(.end(nil))
          // The server may answer and close before the write is reported done; the answer (or
          // its absence) below is what counts.
          try? await outbound.write(contentsOf: parts)
          for try await part in inbound {
            switch part {
            case .head(let value):
              headContinuation.yield(value)
              headContinuation.finish()
            case .body(var buffer):
              bodyContinuation.yield(buffer.readBytes(length: buffer.readableBytes) ?? [])
            case .end:
              bodyContinuation.finish()
              return
            }
          }
          throw TransportError.closedEarly
        }
      } catch {
        headContinuation.finish(throwing: error)
        bodyContinuation.finish(throwing: error)
      }
    }
    bodyContinuation.onTermination = { termination in
      if case .cancelled = termination { exchange.cancel() }
    }
    var iterator = headStream.makeAsyncIterator()
    let responseHead = try await withTaskCancellationHandler {
      try await iterator.next()
    } onCancel: {
      exchange.cancel()
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
}
