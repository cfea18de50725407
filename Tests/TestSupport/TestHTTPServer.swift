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

  /// How many connections have closed (by either side).
  public var closedConnectionCount: Int { state.closedConnectionTotal() }
}
