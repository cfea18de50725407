import Foundation
import ItineraryAPI
import JSONLogging
import Logging
import ServiceKit
import Synchronization
import TestSupport
import Testing

/// The Service Bus queue against ``ServiceBusEmulator``: every request signed, peek-lock semantics,
/// lock renewal, redelivery, TTL and the size limit.
@Suite struct ServiceBusQueueTests {
  /// A queue on `emulator` whose lock duration matches the emulator's.
  static func queue(
    _ emulator: ServiceBusEmulator, key: String? = nil, keyName: String? = nil,
    configure: (inout ServiceBusJobQueue.Settings) -> Void = { _ in },
    logger: Logger = Logger(label: "test")
  ) throws -> ServiceBusJobQueue {
    var settings = ServiceBusJobQueue.Settings()
    settings.lockDuration = emulator.lockDuration
    settings.receiveWait = .zero
    settings.retryPolicy.initialBackoff = .milliseconds(10)
    configure(&settings)
    return try ServiceBusJobQueue(
      connection: try ServiceBusConnectionString(
        parsing: emulator.connectionString(key: key, keyName: keyName)),
      queue: emulator.queue, settings: settings, logger: logger)
  }

  @Test func sendReceiveCompleteWithASignedRequestEach() async throws {
    let emulator = try ServiceBusEmulator()
    let queue = try Self.queue(emulator)
    try await queue.send(#"{"n": 1}"#)
    try await queue.send(#"{"n": 2}"#)
    let first = try #require(try await queue.receive(lease: .seconds(30)))
    #expect(first.body == #"{"n": 1}"#)
    #expect(first.deliveryCount == 1)
    #expect(try await queue.complete(first))
    let second = try #require(try await queue.receive(lease: .seconds(30)))
    #expect(second.body == #"{"n": 2}"#)
    #expect(try await queue.complete(second))
    #expect(try await queue.receive(lease: .seconds(30)) == nil)
    #expect(emulator.messageCount == 0)
    // Each request carried its own token, and the emulator accepted all of them.
    #expect(emulator.server.requests.count == 7)
    #expect(
      emulator.server.requests.allSatisfy {
        $0.header("Authorization")?.hasPrefix("SharedAccessSignature sr=") == true
      })
    #expect(emulator.rejectedCount == 0)
  }

  @Test func messagesCarryTheSpecsFourteenDayTimeToLive() async throws {
    let emulator = try ServiceBusEmulator()
    try await Self.queue(emulator).send("{}")
    let properties = try #require(emulator.server.requests.first?.header("BrokerProperties"))
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(properties.utf8)) as? [String: Any])
    #expect(object["TimeToLive"] as? Double == Double(14 * 24 * 3600))
    #expect((object["MessageId"] as? String)?.isEmpty == false)
  }

  @Test func anExpiredMessageIsNeverDelivered() async throws {
    try await offThePool {
      let emulator = try ServiceBusEmulator()
      let shortLived = try Self.queue(emulator) { $0.timeToLive = .seconds(1) }
      try await shortLived.send(#"{"stale": true}"#)
      let properties = try #require(emulator.server.requests.first?.header("BrokerProperties"))
      #expect(properties.contains(#""TimeToLive":1"#))
      #expect(emulator.messageCount == 1)
      try await Task.sleep(for: .milliseconds(1300))
      #expect(try await shortLived.receive(lease: .seconds(30)) == nil)
      #expect(emulator.messageCount == 0)
    }
  }

  @Test func aLockedMessageIsInvisibleUntilUnlockedOrExpired() async throws {
    try await offThePool {
      let emulator = try ServiceBusEmulator(lockDuration: .seconds(3))
      let queue = try Self.queue(emulator)
      try await queue.send("a")
      try await queue.send("b")
      let a = try #require(try await queue.receive(lease: .seconds(3)))
      let b = try #require(try await queue.receive(lease: .seconds(3)))
      #expect([a.body, b.body] == ["a", "b"])
      #expect(try await queue.receive(lease: .seconds(3)) == nil, "both are locked")
      // Abandoned at once: visible again, a second delivery.
      try await queue.abandon(a, delay: .zero)
      let again = try #require(try await queue.receive(lease: .seconds(3)))
      #expect(again.body == "a")
      #expect(again.deliveryCount == 2)
      #expect(again.lockToken != a.lockToken)
      #expect(try await queue.complete(again))
      // b's receiver died: no complete, no abandon. Its lock expires and b comes back.
      try await Task.sleep(for: .milliseconds(3300))
      let redelivered = try #require(try await queue.receive(lease: .seconds(3)))
      #expect(redelivered.body == "b")
      #expect(redelivered.deliveryCount == 2)
      // The dead receiver's late completion is refused (404): it does not delete the redelivery.
      #expect(try await !queue.complete(b))
      #expect(try await queue.complete(redelivered))
      #expect(emulator.rejectedCount == 0)
    }
  }

  // Locks of 5 s: renewals come at half the lock's length, and a loaded test machine (load
  // averages over 20 were seen while other packages built) must not miss that window.
  @Test func aLeaseLongerThanTheLockIsKeptByRenewingIt() async throws {
    try await offThePool {
      let emulator = try ServiceBusEmulator(lockDuration: .seconds(5))
      let queue = try Self.queue(emulator)
      try await queue.send("long job")
      let message = try #require(try await queue.receive(lease: .seconds(12)))
      try await Task.sleep(for: .seconds(8))
      #expect(try await queue.receive(lease: .seconds(1)) == nil, "still locked after 8 s")
      #expect(emulator.renewalCount >= 2)
      #expect(try await queue.complete(message))
      let renewals = emulator.renewalCount
      try await Task.sleep(for: .seconds(3))
      #expect(emulator.renewalCount == renewals, "completing stops the renewals")
    }
  }

  @Test func abandonWithADelayHoldsTheMessageForTheBackoff() async throws {
    try await offThePool {
      let emulator = try ServiceBusEmulator(lockDuration: .seconds(5))
      let queue = try Self.queue(emulator)
      try await queue.send("retry me")
      let message = try #require(try await queue.receive(lease: .seconds(5)))
      try await queue.abandon(message, delay: .seconds(7))
      try await Task.sleep(for: .seconds(6))
      #expect(try await queue.receive(lease: .seconds(5)) == nil, "held during the backoff")
      try await Task.sleep(for: .seconds(3))
      let retried = try #require(try await queue.receive(lease: .seconds(5)))
      #expect(retried.deliveryCount == 2)
      #expect(emulator.renewalCount >= 1, "the lock was renewed to cover the 7 s backoff")
    }
  }

  @Test func concurrentReceiversNeverShareAMessage() async throws {
    let emulator = try ServiceBusEmulator()
    let queue = try Self.queue(emulator)
    for n in 0..<12 { try await queue.send("\(n)") }
    let received = try await withThrowingTaskGroup(of: [String].self) { group in
      for _ in 0..<3 {
        group.addTask {
          var bodies: [String] = []
          while let message = try await queue.receive(lease: .seconds(30)) {
            bodies.append(message.body)
            #expect(try await queue.complete(message))
          }
          return bodies
        }
      }
      return try await group.reduce(into: []) { $0 += $1 }
    }
    #expect(received.sorted() == (0..<12).map(String.init).sorted())
  }

  @Test func aMessageOverSixtyFourKilobytesIsRefusedBeforeSending() async throws {
    let emulator = try ServiceBusEmulator()
    let queue = try Self.queue(emulator)
    let tooBig = String(repeating: "x", count: 64 * 1024)
    await #expect {
      try await queue.send(tooBig)
    } throws: { error in
      guard case ServiceBusError.messageTooLarge(let bytes, let limit, let name) = error else {
        return false
      }
      return bytes > 64 * 1024 && limit == 64 * 1024 && name == "ai-schedule-generation"
        && "\(error)".contains("exceeds queue ai-schedule-generation's limit of 65536 bytes")
    }
    #expect(emulator.server.requests.isEmpty, "nothing was sent")
    try await queue.send(String(repeating: "y", count: 60 * 1024))
    #expect(emulator.messageCount == 1)
  }

  @Test func badTokensGet401AndTheErrorNamesNoSecret() async throws {
    let emulator = try ServiceBusEmulator()
    let lines = LogLines()
    let logger = Logger(label: "test") { lines.handler(label: $0) }
    let wrongKey = ServiceBusEmulator.randomKey()
    let cases: [(String, ServiceBusJobQueue)] = [
      ("wrong key", try Self.queue(emulator, key: wrongKey, logger: logger)),
      ("wrong key name", try Self.queue(emulator, keyName: "Listen", logger: logger)),
      (
        "expired token",
        try Self.queue(emulator, configure: { $0.tokenLifetime = .seconds(-60) }, logger: logger)
      ),
    ]
    for (name, queue) in cases {
      let before = emulator.rejectedCount
      do {
        try await queue.send("{}")
        Issue.record("\(name): the send was accepted")
      } catch let error as ServiceBusError {
        guard case .unauthorized(let operation, let url) = error else {
          Issue.record("\(name): \(error)")
          continue
        }
        #expect(operation == "send")
        #expect(url == "http://127.0.0.1:\(emulator.server.port)/ai-schedule-generation/messages")
        for text in ["\(error)", String(reflecting: error)] {
          #expect(!text.contains(emulator.key) && !text.contains(wrongKey), "\(name)")
          #expect(!text.contains("sig="), "\(name)")
        }
      }
      #expect(emulator.rejectedCount == before + 1, "\(name): refused by the emulator")
      await #expect(throws: ServiceBusError.self) { try await queue.receive(lease: .seconds(1)) }
    }
    #expect(emulator.messageCount == 0)
    #expect(try await Self.queue(emulator).receive(lease: .seconds(1)) == nil)
    for line in lines.all {
      #expect(!line.contains(emulator.key) && !line.contains(wrongKey) && !line.contains("sig="))
    }
  }

  @Test func connectionStrings() throws {
    let key = ServiceBusEmulator.randomKey()
    let azure = try ServiceBusConnectionString(
      parsing: "Endpoint=sb://sb-tripgen-dev.servicebus.windows.net/;"
        + "SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=\(key)")
    #expect(azure.endpoint == "https://sb-tripgen-dev.servicebus.windows.net")
    #expect(azure.keyName == "RootManageSharedAccessKey")
    #expect(azure.entityPath == nil)
    #expect(try azure.queueName(configured: "ai-schedule-generation") == "ai-schedule-generation")
    #expect(!"\(azure)".contains(key))
    #expect("\(azure)".contains("SharedAccessKey=<redacted>"))

    let scoped = try ServiceBusConnectionString(
      parsing: " endpoint=sb://ns.servicebus.windows.net/ ; sharedaccesskeyname=send;"
        + "sharedaccesskey=\(key);EntityPath=ai-schedule-generation;")
    #expect(try scoped.queueName(configured: "ai-schedule-generation") == "ai-schedule-generation")
    #expect(
      throws: ServiceBusConfigurationError.entityMismatch(
        entityPath: "ai-schedule-generation", configured: "location-search")
    ) {
      try scoped.queueName(configured: "location-search")
    }

    let failures: [(String, String)] = [
      ("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n", "no SharedAccessKey="),
      ("SharedAccessKeyName=n;SharedAccessKey=\(key)", "no Endpoint="),
      ("Endpoint=sb://ns/;SharedAccessKey=\(key)", "no SharedAccessKeyName="),
      ("not a connection string", "is not a connection string"),
      (
        "Endpoint=sb://ns.example.com/;SharedAccessKeyName=n;SharedAccessKey=\(key);"
          + "UseDevelopmentEmulator=true", "allowed only for localhost"
      ),
      ("Endpoint=ftp://ns/;SharedAccessKeyName=n;SharedAccessKey=\(key)", "scheme must be sb://"),
    ]
    for (text, expected) in failures {
      do {
        _ = try ServiceBusConnectionString(parsing: text)
        Issue.record("accepted: \(expected)")
      } catch {
        #expect("\(error)".contains(expected), "\(error)")
        #expect("\(error)".contains("SERVICEBUS_CONNECTION_STRING"))
        #expect(!"\(error)".contains(key), "the key leaked into: \(error)")
      }
    }
  }

  /// The token's signature, recomputed by OpenSSL from the documented recipe.
  @Test func sasSignatureMatchesOpenSSL() throws {
    let key = "SGVsbG8sIFNlcnZpY2UgQnVzIQ=="
    let token = SharedAccessSignature(keyName: "send", key: key).token(
      resource: "https://ns.servicebus.windows.net/ai-schedule-generation", expiry: 1_900_000_000)
    let encoded = "https%3A%2F%2Fns.servicebus.windows.net%2Fai-schedule-generation"
    let openssl = try Command.run(
      ["sh", "-c", #"openssl dgst -sha256 -hmac "$0" -binary | base64 -w0"#, key],
      input: Data("\(encoded)\n1900000000".utf8))
    try #require(openssl.succeeded, "\(openssl.standardError)")
    let signature = openssl.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
      .replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "/", with: "%2F")
      .replacingOccurrences(of: "=", with: "%3D")
    #expect(
      token
        == "SharedAccessSignature sr=\(encoded)&sig=\(signature)&se=1900000000&skn=send")
  }
}

/// Log lines captured in memory, written as the services write them (JSON).
final class LogLines: Sendable {
  private let lines = Mutex<[String]>([])

  var all: [String] { lines.withLock { $0 } }

  func handler(label: String) -> JSONLogHandler {
    JSONLogHandler(
      label: label, service: "test", level: .trace,
      sink: JSONLogHandler.Sink { [self] line in self.lines.withLock { $0.append(line) } })
  }
}
