import Crypto
import Foundation
import Synchronization
import TestSupport

/// A stand-in for one Azure Service Bus queue's REST API (the real service is not reachable from
/// here), on ``TestHTTPServer`` at 127.0.0.1: send (`POST /{queue}/messages`), peek-lock
/// (`POST /{queue}/messages/head`), complete (`DELETE`), unlock (`PUT`) and renew-lock (`POST`) on
/// `/{queue}/messages/{messageId}/{lockToken}`, with the service's semantics for these: a locked
/// message is invisible to other receivers until it is unlocked or its lock expires, a stale lock
/// token gets 404, messages expire after their TimeToLive, and bodies over the size limit get 403.
///
/// Every request must carry a valid SAS token (`SharedAccessSignature sr=&sig=&se=&skn=`): the key
/// name must match, the expiry must be in the future, `sr` must cover the requested URL, and `sig`
/// must be the HMAC-SHA256 of the `sr` as received, a newline and `se`. Otherwise: 401, counted in
/// ``rejectedCount``. (Lock URLs are registered as messages are delivered, since the test server
/// routes exact paths; a request to a never-issued lock URL gets the server's plain 404.)
final class ServiceBusEmulator: Sendable {
  struct Message {
    let sequence: Int64
    let messageId: String
    let body: [UInt8]
    let expiresAt: ContinuousClock.Instant
    var deliveryCount = 0
    var lockToken: String?
    var lockedUntil: ContinuousClock.Instant
  }

  private struct State {
    var messages: [Message] = []
    var nextSequence: Int64 = 1
    var rejected = 0
    var renewals = 0
  }

  let server: TestHTTPServer
  let queue: String
  let keyName: String
  let key: String
  let lockDuration: Duration
  let maximumMessageBytes: Int
  private let state = Mutex(State())
  private let clock = ContinuousClock()

  init(
    queue: String = "ai-schedule-generation", keyName: String = "RootManageSharedAccessKey",
    key: String = ServiceBusEmulator.randomKey(), lockDuration: Duration = .seconds(30),
    maximumMessageBytes: Int = 64 * 1024
  ) throws {
    server = try TestHTTPServer()
    self.queue = queue
    self.keyName = keyName
    self.key = key
    self.lockDuration = lockDuration
    self.maximumMessageBytes = maximumMessageBytes
    server.route("POST", "/\(queue)/messages") { [unowned self] in self.send($0) }
    server.route("POST", "/\(queue)/messages/head") { [unowned self] in self.peekLock($0) }
  }

  deinit { server.shutdown() }

  /// A key like the portal's: 32 random bytes, base64.
  static func randomKey() -> String {
    Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
  }

  /// A connection string for this emulator, as the `servicebus-connection` secret holds one.
  func connectionString(key: String? = nil, keyName: String? = nil) -> String {
    "Endpoint=sb://127.0.0.1:\(server.port)/;SharedAccessKeyName=\(keyName ?? self.keyName);"
      + "SharedAccessKey=\(key ?? self.key);EntityPath=\(queue);UseDevelopmentEmulator=true"
  }

  /// Requests refused with 401.
  var rejectedCount: Int { state.withLock { $0.rejected } }
  /// Lock renewals granted.
  var renewalCount: Int { state.withLock { $0.renewals } }
  /// Messages in the queue, locked or not, expired ones included until a receive drops them.
  var messageCount: Int { state.withLock { $0.messages.count } }

  // MARK: Operations

  private func send(_ request: TestHTTPServer.Request) -> TestHTTPServer.Response {
    guard authorized(request) else { return unauthorized() }
    let properties = Self.properties(request.header("BrokerProperties"))
    guard request.body.count <= maximumMessageBytes else {
      return .text("message too large", status: 403)
    }
    let ttl = (properties["TimeToLive"] as? Double).map { Duration.milliseconds(Int($0 * 1000)) }
    let now = clock.now
    state.withLock { state in
      state.messages.append(
        Message(
          sequence: state.nextSequence,
          messageId: properties["MessageId"] as? String ?? UUID().uuidString,
          body: request.body, expiresAt: now + (ttl ?? .seconds(14 * 86400)),
          lockedUntil: now))
      state.nextSequence += 1
    }
    return TestHTTPServer.Response(status: 201)
  }

  private func peekLock(_ request: TestHTTPServer.Request) -> TestHTTPServer.Response {
    guard authorized(request) else { return unauthorized() }
    let now = clock.now
    let token = UUID().uuidString.lowercased()
    let delivered: Message? = state.withLock { state in
      state.messages.removeAll { $0.expiresAt <= now }
      guard
        let index = state.messages.firstIndex(where: {
          $0.lockToken == nil || $0.lockedUntil <= now
        })
      else { return nil }
      state.messages[index].deliveryCount += 1
      state.messages[index].lockToken = token
      state.messages[index].lockedUntil = now + lockDuration
      return state.messages[index]
    }
    guard let message = delivered else { return TestHTTPServer.Response(status: 204) }
    let lockPath = "/\(queue)/messages/\(message.messageId)/\(token)"
    server.route("DELETE", lockPath) { [unowned self] in
      self.onLock($0, id: message.messageId, token: token) { state, index in
        state.messages.remove(at: index)
      }
    }
    server.route("PUT", lockPath) { [unowned self] in
      self.onLock($0, id: message.messageId, token: token) { state, index in
        state.messages[index].lockToken = nil
      }
    }
    server.route("POST", lockPath) { [unowned self] in
      let now = self.clock.now
      return self.onLock($0, id: message.messageId, token: token) { state, index in
        state.messages[index].lockedUntil = now + self.lockDuration
        state.renewals += 1
      }
    }
    let brokerProperties =
      #"{"DeliveryCount":\#(message.deliveryCount),"LockToken":"\#(token)","#
      + #""MessageId":"\#(message.messageId)","SequenceNumber":\#(message.sequence)}"#
    return TestHTTPServer.Response(
      status: 201,
      headers: [
        ("BrokerProperties", brokerProperties),
        ("Location", "http://127.0.0.1:\(server.port)\(lockPath)"),
        ("Content-Type", "application/json"),
      ],
      body: .bytes(message.body))
  }

  /// Runs `change` on the message when `token` still holds its lock; 404 otherwise (the lock
  /// expired, was released, or the message is gone), as the service answers.
  private func onLock(
    _ request: TestHTTPServer.Request, id: String, token: String,
    _ change: (inout State, Int) -> Void
  ) -> TestHTTPServer.Response {
    guard authorized(request) else { return unauthorized() }
    let now = clock.now
    let found = state.withLock { state in
      guard
        let index = state.messages.firstIndex(where: {
          $0.messageId == id && $0.lockToken == token && $0.lockedUntil > now
        })
      else { return false }
      change(&state, index)
      return true
    }
    return found ? TestHTTPServer.Response(status: 200) : .text("lock lost", status: 404)
  }

  // MARK: Authorization

  private func unauthorized() -> TestHTTPServer.Response {
    state.withLock { $0.rejected += 1 }
    return .text("401 Unauthorized: the token is not valid for this resource", status: 401)
  }

  /// Checks the SAS token, independently of the client's code: parse, check name, expiry and
  /// scope, recompute the signature.
  func authorized(_ request: TestHTTPServer.Request) -> Bool {
    let prefix = "SharedAccessSignature "
    guard let header = request.header("Authorization"), header.hasPrefix(prefix) else {
      return false
    }
    var fields: [String: String] = [:]
    for pair in header.dropFirst(prefix.count).split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1)
      guard parts.count == 2 else { return false }
      fields[String(parts[0])] = String(parts[1])
    }
    guard let resource = fields["sr"], let signature = fields["sig"], let expiry = fields["se"],
      let name = fields["skn"]?.removingPercentEncoding, name == keyName,
      let expirySeconds = Int(expiry), expirySeconds > Int(Date().timeIntervalSince1970),
      let scope = resource.removingPercentEncoding?.lowercased(),
      let signatureBytes = signature.removingPercentEncoding.flatMap({ Data(base64Encoded: $0) })
    else { return false }
    let requested = "http://127.0.0.1:\(server.port)\(request.path)".lowercased()
    guard requested == scope || requested.hasPrefix(scope.hasSuffix("/") ? scope : scope + "/")
    else { return false }
    let expected = HMAC<SHA256>.authenticationCode(
      for: Data("\(resource)\n\(expiry)".utf8), using: SymmetricKey(data: Data(key.utf8)))
    return Data(expected) == signatureBytes
  }

  private static func properties(_ header: String?) -> [String: Any] {
    guard let header,
      let object = try? JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any]
    else { return [:] }
    return object
  }
}
