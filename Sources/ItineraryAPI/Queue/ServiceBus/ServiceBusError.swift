/// Why a Service Bus call failed. URLs name the namespace, queue and operation; tokens, keys and
/// signatures never appear.
public enum ServiceBusError: Error, Equatable, CustomStringConvertible {
  /// The body is bigger than the queue's message limit; nothing was sent.
  case messageTooLarge(bytes: Int, limit: Int, queue: String)
  /// 401: the token was refused.
  case unauthorized(operation: String, url: String)
  /// 403 on send: the namespace's quota is used up or the service found the message too large.
  case quotaExceeded(url: String)
  /// 410 (or 404 on send/receive): the queue does not exist.
  case queueNotFound(queue: String, url: String)
  /// Any other status.
  case unexpectedStatus(operation: String, status: Int, url: String, excerpt: String)
  /// A received message's BrokerProperties header is missing or unreadable.
  case malformedMessage(url: String, reason: String)

  public var description: String {
    switch self {
    case .messageTooLarge(let bytes, let limit, let queue):
      return "Service Bus: a message of \(bytes) bytes exceeds queue \(queue)'s limit of \(limit) "
        + "bytes; it was not sent (send a reference to the data instead of the data)"
    case .unauthorized(let operation, let url):
      return "Service Bus: \(operation) \(url) was refused (401): check the shared access key and "
        + "key name in SERVICEBUS_CONNECTION_STRING and that the policy has Send and Listen rights"
    case .quotaExceeded(let url):
      return "Service Bus: POST \(url) was refused (403): the namespace's quota is exceeded or the "
        + "message is too large"
    case .queueNotFound(let queue, let url):
      return "Service Bus: queue \(queue) does not exist (\(url)); create it or fix AI_QUEUE_NAME"
    case .unexpectedStatus(let operation, let status, let url, let excerpt):
      return "Service Bus: \(operation) \(url) answered \(status)"
        + (excerpt.isEmpty ? "" : ": \(excerpt)")
    case .malformedMessage(let url, let reason):
      return "Service Bus: the message received from \(url) is unreadable: \(reason)"
    }
  }
}
