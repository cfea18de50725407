/// A message taken from a queue under a lease (peek-lock): it stays invisible to other receivers until
/// completed, abandoned, or its lease expires, when it is delivered again. Delivery is at least once,
/// so handlers must be idempotent.
public struct QueueMessage: Sendable, Equatable {
  /// The message's id within its queue.
  public let id: String
  /// Proves this receiver still holds the lease: completing with a stale token does nothing.
  public let lockToken: String
  /// The message body (JSON).
  public let body: String
  /// How many times the message has been delivered, this time included.
  public let deliveryCount: Int
}

/// A work queue with peek-lock semantics. Two implementations: ``PostgresJobQueue`` (the default) and
/// ``ServiceBusJobQueue`` (Azure Service Bus over REST, when a connection string is configured).
public protocol JobQueue: Sendable {
  /// Adds a message.
  func send(_ body: String) async throws
  /// Takes the oldest visible message and hides it for `lease`; nil when the queue is empty.
  func receive(lease: Duration) async throws -> QueueMessage?
  /// Removes a message whose processing finished. False when the lease was lost (it expired and the
  /// message went to another receiver), in which case the other delivery will finish it.
  @discardableResult
  func complete(_ message: QueueMessage) async throws -> Bool
  /// Gives a message back, visible again after `delay` (the retry backoff).
  func abandon(_ message: QueueMessage, delay: Duration) async throws
}
