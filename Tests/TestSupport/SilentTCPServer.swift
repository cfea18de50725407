import NIOCore
import NIOPosix

/// A TCP server on 127.0.0.1 that accepts connections and never answers: a client talking TLS or
/// HTTP to it waits until its own timeout fires.
public final class SilentTCPServer: Sendable {
  public let port: Int
  private let group: MultiThreadedEventLoopGroup
  private let channel: any Channel

  public init() throws {
    group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let bootstrap = ServerBootstrap(group: group)
      .childChannelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
    do {
      channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
    } catch {
      try? group.syncShutdownGracefully()
      throw error
    }
    port = channel.localAddress?.port ?? 0
  }

  deinit {
    try? channel.close().wait()
    try? group.syncShutdownGracefully()
  }
}
