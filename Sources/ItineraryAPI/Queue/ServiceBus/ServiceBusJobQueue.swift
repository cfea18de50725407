import Foundation
import HTTP
import Logging

/// The job queue on Azure Service Bus (the dev cluster's `ai-schedule-generation` queue), over the
/// REST API with SAS tokens: send is `POST {queue}/messages`, receive is a peek-lock
/// (`POST {queue}/messages/head`), complete deletes the locked message
/// (`DELETE {queue}/messages/{id}/{lock}`) and abandon unlocks it (`PUT` on the same URL).
///
/// Delivery is at least once: a message is deleted only by ``complete(_:)``, so one whose worker dies
/// reappears when its lock expires. The lock's length is the queue's LockDuration (the spec's 30 s
/// processing timeout), not the caller's; a longer lease is kept by renewing the lock
/// (`POST {queue}/messages/{id}/{lock}`) at half its length until the lease ends, and an abandon
/// with a delay holds the lock for the delay before unlocking, since the REST API has no delayed
/// abandon. Calls are retried on transport errors, 429 and 5xx, 3 attempts with exponential backoff.
///
/// Only the REST subset above is used: no sessions, no batches, no dead-letter handling here (a
/// message that keeps failing is completed by the worker after its last attempt).
public struct ServiceBusJobQueue: JobQueue {
  /// Limits and timings, defaulting to the spec's (the dev environment specification, Messaging).
  public struct Settings: Sendable {
    /// How long an unreceived message lives: 14 days.
    public var timeToLive: Duration = .seconds(14 * 24 * 60 * 60)
    /// The largest message accepted: 64 KB (body and broker properties).
    public var maximumMessageBytes = 64 * 1024
    /// The queue's LockDuration, which a peek-lock holds a message for.
    public var lockDuration: Duration = .seconds(30)
    /// How long a receive waits at the service for a message to arrive (long polling).
    public var receiveWait: Duration = .seconds(1)
    /// The limit on one request, beyond the receive wait.
    public var requestTimeout: Duration = .seconds(30)
    /// Retries of transport failures, 429 and 5xx.
    public var retryPolicy = RetryPolicy(maximumAttempts: 3, initialBackoff: .milliseconds(500))
    /// How long each SAS token is valid: one is made per request, so a short life suffices.
    public var tokenLifetime: Duration = .seconds(600)

    public init() {}
  }

  /// The queue's name.
  public let queue: String
  let settings: Settings
  let entityURL: String
  let signer: SharedAccessSignature
  let client: HTTPClient
  let locks: LockKeeper
  let logger: Logger

  /// - Parameter queue: the queue's name (AI_QUEUE_NAME; checked against the string's EntityPath).
  public init(
    connection: ServiceBusConnectionString, queue: String, settings: Settings = Settings(),
    logger: Logger
  ) throws(ServiceBusConfigurationError) {
    self.queue = try connection.queueName(configured: queue)
    self.settings = settings
    entityURL =
      connection.endpoint + "/"
      + self.queue.split(separator: "/").map { SharedAccessSignature.percentEncode(String($0)) }
      .joined(separator: "/")
    signer = SharedAccessSignature(keyName: connection.keyName, key: connection.key)
    client = HTTPClient(
      configuration: HTTPClientConfiguration(
        timeouts: HTTPTimeouts(connect: .seconds(10)), retryPolicy: settings.retryPolicy,
        maximumRedirects: 0, versionPreference: .http11Only, userAgent: "tripgen-ai-service",
        proxy: .environment))
    locks = LockKeeper(lockDuration: settings.lockDuration)
    self.logger = logger
  }

  public func send(_ body: String) async throws {
    let properties = String(
      decoding: try JSONEncoder().encode(
        SentProperties(
          messageId: UUID().uuidString.lowercased(),
          timeToLive: Double(settings.timeToLive.components.seconds))),
      as: UTF8.self)
    let size = body.utf8.count + properties.utf8.count
    guard size <= settings.maximumMessageBytes else {
      throw ServiceBusError.messageTooLarge(
        bytes: size, limit: settings.maximumMessageBytes, queue: queue)
    }
    let response = try await call(
      "send", .post, path: "/messages",
      headers: [
        ("Content-Type", "application/json; charset=utf-8"), ("BrokerProperties", properties),
      ],
      body: Data(body.utf8))
    switch response.status {
    case 201: return
    case 403: throw ServiceBusError.quotaExceeded(url: entityURL + "/messages")
    default: throw failure("send", response, path: "/messages")
    }
  }

  public func receive(lease: Duration) async throws -> QueueMessage? {
    let wait = Int(settings.receiveWait.components.seconds)
    let response = try await call(
      "receive", .post, path: "/messages/head", query: "timeout=\(wait)",
      timeout: settings.requestTimeout + settings.receiveWait)
    switch response.status {
    case 201, 200: break
    case 204: return nil
    default: throw failure("receive", response, path: "/messages/head")
    }
    guard let header = response.headers["BrokerProperties"],
      let properties = try? JSONDecoder().decode(ReceivedProperties.self, from: Data(header.utf8))
    else {
      throw ServiceBusError.malformedMessage(
        url: entityURL + "/messages/head", reason: "no readable BrokerProperties header")
    }
    let message = QueueMessage(
      id: properties.messageId ?? String(properties.sequenceNumber ?? 0),
      lockToken: properties.lockToken, body: String(decoding: response.body, as: UTF8.self),
      deliveryCount: properties.deliveryCount)
    locks.hold(message.lockToken, for: lease) { await renew(message) }
    return message
  }

  @discardableResult
  public func complete(_ message: QueueMessage) async throws -> Bool {
    locks.release(message.lockToken)
    let path = lockPath(message)
    let response = try await call("complete", .delete, path: path)
    switch response.status {
    case 200, 204: return true
    // The lock expired and the message went to another receiver, or it is gone (TTL).
    case 404: return false
    default: throw failure("complete", response, path: path)
    }
  }

  public func abandon(_ message: QueueMessage, delay: Duration) async throws {
    locks.release(message.lockToken)
    guard delay > .zero else { return try await unlock(message) }
    // Keep the lock through the backoff, then unlock; should this process end first, the lock
    // simply expires and the message comes back a little sooner.
    locks.hold(message.lockToken, for: delay) {
      await renew(message)
    } then: {
      do {
        try await unlock(message)
      } catch {
        logger.warning(
          "Service Bus unlock after backoff failed; the lock will expire instead",
          metadata: ["message_id": "\(message.id)", "error": "\(error)"])
      }
    }
  }

  /// Unlocks a message for other receivers; a lost lock needs nothing more.
  func unlock(_ message: QueueMessage) async throws {
    let path = lockPath(message)
    let response = try await call("unlock", .put, path: path)
    guard [200, 204, 404].contains(response.status) else {
      throw failure("unlock", response, path: path)
    }
  }

  /// Renews a message's lock; false when it was lost.
  func renew(_ message: QueueMessage) async -> Bool {
    let path = lockPath(message)
    do {
      let response = try await call("renew-lock", .post, path: path)
      if response.status == 200 || response.status == 204 { return true }
      logger.warning(
        "Service Bus lock renewal refused; the message may be delivered again",
        metadata: ["message_id": "\(message.id)", "status": "\(response.status)"])
    } catch {
      logger.warning(
        "Service Bus lock renewal failed; the message may be delivered again",
        metadata: ["message_id": "\(message.id)", "error": "\(error)"])
    }
    return false
  }

  private func lockPath(_ message: QueueMessage) -> String {
    "/messages/\(SharedAccessSignature.percentEncode(message.id))/"
      + SharedAccessSignature.percentEncode(message.lockToken)
  }

  /// One signed request to `entityURL + path`. Every call is marked safe to repeat: a repeated send
  /// or receive can at worst deliver a message twice, which at-least-once delivery allows.
  private func call(
    _ operation: String, _ method: HTTPMethod, path: String, query: String? = nil,
    headers: [(String, String)] = [], body: Data? = nil, timeout: Duration? = nil
  ) async throws -> HTTPResponse {
    let text = entityURL + path + (query.map { "?\($0)" } ?? "")
    guard let url = URL(string: text) else {
      throw ServiceBusError.unexpectedStatus(
        operation: operation, status: 0, url: text, excerpt: "not a valid URL")
    }
    let expiry = Int(Date().timeIntervalSince1970) + Int(settings.tokenLifetime.components.seconds)
    var fields = HTTPHeaders(headers)
    fields.set("Authorization", signer.token(resource: entityURL, expiry: expiry))
    // Service Bus answers 411 to a POST or PUT without Content-Length, and curl sends none for a
    // bodiless PUT or DELETE.
    if body == nil { fields.set("Content-Length", "0") }
    var request = HTTPRequest(
      method: method, url: url, headers: fields, body: body.map { .bytes($0) } ?? .empty)
    request.isSafeToRepeat = true
    request.timeouts = HTTPTimeouts(
      connect: .seconds(10), total: timeout ?? settings.requestTimeout, lowSpeed: nil)
    let response = try await client.execute(request)
    if response.status == 401 {
      throw ServiceBusError.unauthorized(operation: operation, url: entityURL + path)
    }
    if response.status == 410 {
      throw ServiceBusError.queueNotFound(queue: queue, url: entityURL + path)
    }
    return response
  }

  private func failure(_ operation: String, _ response: HTTPResponse, path: String)
    -> ServiceBusError
  {
    if response.status == 404, operation == "send" || operation == "receive" {
      return .queueNotFound(queue: queue, url: entityURL + path)
    }
    let excerpt = String(decoding: response.body.prefix(200), as: UTF8.self)
      .split(whereSeparator: \.isNewline).joined(separator: " ")
    return .unexpectedStatus(
      operation: operation, status: response.status, url: entityURL + path, excerpt: excerpt)
  }
}

/// The broker properties set on send (the BrokerProperties header).
private struct SentProperties: Encodable {
  let messageId: String
  /// Seconds.
  let timeToLive: Double

  enum CodingKeys: String, CodingKey {
    case messageId = "MessageId"
    case timeToLive = "TimeToLive"
  }
}

/// The broker properties of a received message that the queue needs.
private struct ReceivedProperties: Decodable {
  let lockToken: String
  let messageId: String?
  let deliveryCount: Int
  let sequenceNumber: Int64?

  enum CodingKeys: String, CodingKey {
    case lockToken = "LockToken"
    case messageId = "MessageId"
    case deliveryCount = "DeliveryCount"
    case sequenceNumber = "SequenceNumber"
  }
}
