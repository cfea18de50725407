import CHiredis
import Dispatch
import Foundation

/// One Redis connection through hiredis, Debian's `libhiredis-dev`.
///
/// Why hiredis: no Swift Redis client is available to this project, and hiredis is the Redis project's
/// own C client: maintained with the server, small, and stable for a decade. Its calls block, so each
/// connection owns a serial dispatch queue (a thread of its own) and every call runs there: the Swift
/// cooperative pool never blocks on the socket. Connect and command timeouts bound each call.
///
/// `@unchecked Sendable`: `context` is only touched on `queue`.
final class RedisConnection: @unchecked Sendable {
  private let host: String
  private let port: Int
  private let password: String?
  private let timeout: timeval
  private let queue: DispatchQueue
  private var context: UnsafeMutablePointer<redisContext>?

  init(host: String, port: Int, password: String?, timeoutSeconds: Int, index: Int) {
    self.host = host
    self.port = port
    self.password = password
    self.timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    self.queue = DispatchQueue(label: "tripgen.redis.\(index)")
  }

  deinit {
    if let context { redisFree(context) }
  }

  /// Sends one command (its words as arguments, binary-safe) and returns the reply.
  func execute(_ arguments: [[UInt8]]) async throws -> RedisReply {
    try await withCheckedThrowingContinuation { continuation in
      queue.async {
        continuation.resume(with: Result { try self.executeBlocking(arguments) })
      }
    }
  }

  /// Closes the socket (on the connection's queue, after any call in flight).
  func close() {
    queue.sync {
      if let context { redisFree(context) }
      context = nil
    }
  }

  private func executeBlocking(_ arguments: [[UInt8]]) throws -> RedisReply {
    let context = try connectedContext()
    let reply = try command(context, arguments)
    if case .server(let message) = reply.error {
      throw RedisError.server(message)
    }
    return reply.value
  }

  private func connectedContext() throws -> UnsafeMutablePointer<redisContext> {
    if let context { return context }
    guard let fresh = redisConnectWithTimeout(host, Int32(port), timeout) else {
      throw RedisError.connection(host: host, port: port, reason: "out of memory")
    }
    if fresh.pointee.err != 0 {
      let reason = Self.message(fresh)
      redisFree(fresh)
      throw RedisError.connection(host: host, port: port, reason: reason)
    }
    redisSetTimeout(fresh, timeout)
    if let password {
      let reply = try command(fresh, [Array("AUTH".utf8), Array(password.utf8)])
      if case .server(let message) = reply.error {
        redisFree(fresh)
        throw RedisError.authentication(host: host, port: port, reason: message)
      }
    }
    context = fresh
    return fresh
  }

  private enum ReplyError {
    case none
    case server(String)
  }

  /// Sends a command on `context`; a broken connection is closed so the next call reconnects.
  private func command(_ context: UnsafeMutablePointer<redisContext>, _ arguments: [[UInt8]])
    throws -> (value: RedisReply, error: ReplyError)
  {
    let lengths = arguments.map { $0.count }
    let raw: UnsafeMutableRawPointer? = arguments.withUnsafeBufferPointers { pointers in
      var argv = pointers.map { UnsafePointer<CChar>(OpaquePointer($0.baseAddress)) }
      return lengths.withUnsafeBufferPointer { lengthPointer in
        argv.withUnsafeMutableBufferPointer { argvPointer in
          redisCommandArgv(
            context, Int32(arguments.count), argvPointer.baseAddress, lengthPointer.baseAddress)
        }
      }
    }
    guard let raw else {
      let reason = Self.message(context)
      if context == self.context { self.context = nil }
      redisFree(context)
      throw RedisError.connection(host: host, port: port, reason: reason)
    }
    let reply = raw.assumingMemoryBound(to: redisReply.self)
    defer { freeReplyObject(raw) }
    if reply.pointee.type == REDIS_REPLY_ERROR {
      return (.null, .server(Self.string(reply)))
    }
    return (Self.convert(reply), .none)
  }

  private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
    switch reply.pointee.type {
    case REDIS_REPLY_STRING:
      return .string(bytes(reply))
    case REDIS_REPLY_STATUS:
      return .status(string(reply))
    case REDIS_REPLY_INTEGER:
      return .integer(reply.pointee.integer)
    case REDIS_REPLY_ARRAY:
      let count = Int(reply.pointee.elements)
      return .array((0..<count).compactMap { index in reply.pointee.element[index].map(convert) })
    default:
      return .null
    }
  }

  private static func bytes(_ reply: UnsafeMutablePointer<redisReply>) -> [UInt8] {
    guard let pointer = reply.pointee.str else { return [] }
    return Array(
      UnsafeRawBufferPointer(start: pointer, count: Int(reply.pointee.len)).bindMemory(
        to: UInt8.self))
  }

  private static func string(_ reply: UnsafeMutablePointer<redisReply>) -> String {
    String(decoding: bytes(reply), as: UTF8.self)
  }

  private static func message(_ context: UnsafeMutablePointer<redisContext>) -> String {
    withUnsafeBytes(of: context.pointee.errstr) { buffer in
      String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }
  }
}

extension Array where Element == [UInt8] {
  /// Calls `body` with a pointer to each element's bytes, all valid at once.
  fileprivate func withUnsafeBufferPointers<Result>(
    _ body: ([UnsafeBufferPointer<UInt8>]) -> Result
  ) -> Result {
    func recurse(_ index: Int, _ collected: [UnsafeBufferPointer<UInt8>]) -> Result {
      guard index < count else { return body(collected) }
      return self[index].withUnsafeBufferPointer { recurse(index + 1, collected + [$0]) }
    }
    return recurse(0, [])
  }
}
