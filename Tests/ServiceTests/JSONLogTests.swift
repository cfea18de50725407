import Foundation
import JSONLogging
import Logging
import ServiceKit
import Synchronization
import Testing

@Suite struct JSONLogTests {
  @Test func linesAreJSONWithMetadataAndLevelFiltering() throws {
    let lines = Mutex<[String]>([])
    let loggers = ServiceLoggers(
      serviceName: "trip-service",
      levels: .init(root: .info, application: .debug, database: .warning, security: .info),
      sink: JSONLogHandler.Sink { line in lines.withLock { $0.append(line) } })
    var logger = loggers.application
    logger[metadataKey: "request_id"] = "abc-123"
    logger.debug("hello \"world\"", metadata: ["trip_id": "7"])
    loggers.database.info("dropped: below WARN")
    loggers.database.warning("kept")
    let written = lines.withLock { $0 }
    #expect(written.count == 2)
    let first = try #require(
      JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
    #expect(first["message"] as? String == "hello \"world\"")
    #expect(first["level"] as? String == "debug")
    #expect(first["request_id"] as? String == "abc-123")
    #expect(first["trip_id"] as? String == "7")
    #expect(first["service"] as? String == "trip-service")
    #expect(first["logger"] as? String == "trip-service")
    #expect(first["time"] is String, "the same keys as the controller's lines")
    #expect(written.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().contains("\n") == false })
    let second = try #require(
      JSONSerialization.jsonObject(with: Data(written[1].utf8)) as? [String: Any])
    #expect(second["logger"] as? String == "trip-service.database")
  }
}
