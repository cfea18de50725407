import Metrics
import Synchronization

/// A bounded pool of Redis connections (REDIS_POOL_MAX_CONNECTIONS, each with its own thread): a caller
/// waits while all are in use, so load never opens more sockets or threads than the bound.
public final class RedisPool: Sendable {
  private struct State {
    var idle: [RedisConnection]
    var waiters: [CheckedContinuation<RedisConnection, Never>] = []
  }

  private let connections: [RedisConnection]
  private let state: Mutex<State>
  private let leasedGauge = Gauge(label: "redis_pool_connections_leased")

  public init(configuration: ServiceConfiguration.Redis, timeoutSeconds: Int = 2) {
    connections = (0..<configuration.maximumConnections).map {
      RedisConnection(
        host: configuration.host, port: configuration.port, password: configuration.password,
        timeoutSeconds: timeoutSeconds, index: $0)
    }
    state = Mutex(State(idle: connections))
    Telemetry.bootstrap()
    Gauge(label: "redis_pool_connections_max").record(configuration.maximumConnections)
  }

  /// Sends one command with a pooled connection.
  public func command(_ words: String...) async throws -> RedisReply {
    try await command(words.map { Array($0.utf8) })
  }

  /// Sends one command whose words are raw bytes (values need not be UTF-8).
  public func command(_ words: [[UInt8]]) async throws -> RedisReply {
    let connection = await acquire()
    defer { release(connection) }
    return try await connection.execute(words)
  }

  /// GET: the value, or nil when the key does not exist.
  public func get(_ key: String) async throws -> [UInt8]? {
    if case .string(let bytes) = try await command(["GET", key].map { Array($0.utf8) }) {
      return bytes
    }
    return nil
  }

  /// SET with an expiry in seconds.
  public func set(_ key: String, value: [UInt8], expirySeconds: Int) async throws {
    _ = try await command([
      Array("SET".utf8), Array(key.utf8), value, Array("EX".utf8),
      Array(String(expirySeconds).utf8),
    ])
  }

  /// PING: succeeds when the server answers PONG.
  public func ping() async throws {
    let reply = try await command("PING")
    guard reply == .status("PONG") else {
      throw RedisError.server("unexpected PING reply \(reply)")
    }
  }

  /// Closes every connection (after calls in flight).
  public func close() {
    for connection in connections { connection.close() }
  }

  private func acquire() async -> RedisConnection {
    await withCheckedContinuation { continuation in
      let connection: RedisConnection? = state.withLock { state in
        if let idle = state.idle.popLast() { return idle }
        state.waiters.append(continuation)
        return nil
      }
      if let connection {
        continuation.resume(returning: connection)
      }
      updateGauge()
    }
  }

  private func release(_ connection: RedisConnection) {
    let waiter: CheckedContinuation<RedisConnection, Never>? = state.withLock { state in
      if state.waiters.isEmpty {
        state.idle.append(connection)
        return nil
      }
      return state.waiters.removeFirst()
    }
    waiter?.resume(returning: connection)
    updateGauge()
  }

  private func updateGauge() {
    let idle = state.withLock { $0.idle.count }
    leasedGauge.record(connections.count - idle)
  }
}
