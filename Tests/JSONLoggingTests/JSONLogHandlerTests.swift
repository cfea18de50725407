import Foundation
import JSONLogging
import Logging
import Synchronization
import Testing

@Suite struct JSONLogHandlerTests {
  /// The lines a handler wrote.
  final class Captured: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var sink: JSONLogHandler.Sink {
      JSONLogHandler.Sink { [self] line in lines.withLock { $0.append(line) } }
    }
  }

  /// A logger whose lines are kept for the test.
  private func logger(service: String? = nil, level: Logger.Level = .debug) -> (Logger, Captured) {
    let captured = Captured()
    let logger = Logger(label: "tripgen-controller") {
      JSONLogHandler(label: $0, service: service, level: level, sink: captured.sink)
    }
    return (logger, captured)
  }

  private func object(_ line: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
  }

  struct SyncFailed: Error, CustomStringConvertible {
    var description: String { "the wave did not become healthy" }
  }

  @Test func oneObjectPerLineWithTheSharedKeys() throws {
    var (logger, lines) = self.logger(service: "trip-service")
    logger[metadataKey: "request_id"] = "abc-123"
    logger.warning(
      "sync failed", error: SyncFailed(),
      metadata: ["environment": "dev", "objects": ["a", "b"], "counts": ["applied": "3"]])
    let written = lines.all
    #expect(written.count == 1)
    #expect(written[0].hasSuffix("\n") && !written[0].dropLast().contains("\n"))
    let line = try object(written[0])
    #expect(line["level"] as? String == "warning")
    #expect(line["logger"] as? String == "tripgen-controller")
    #expect(line["message"] as? String == "sync failed")
    #expect(line["service"] as? String == "trip-service")
    #expect(line["error"] as? String == "the wave did not become healthy")
    #expect(line["request_id"] as? String == "abc-123")
    #expect(line["objects"] as? [String] == ["a", "b"])
    #expect(line["counts"] as? [String: String] == ["applied": "3"])
    let time = try #require(line["time"] as? String)
    #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
  }

  /// Keys sorted, compact: a line reads the same way every time.
  @Test func keysAreSorted() throws {
    let (logger, lines) = self.logger()
    logger.info("hello \"world\"", metadata: ["zone": "1", "attempt": "2"])
    let line = try #require(lines.all.first)
    let withoutTime = line.replacing(/"time":"[^"]*"/, with: #""time":"T""#)
    #expect(
      withoutTime
        == #"{"attempt":"2","level":"info","logger":"tripgen-controller","message":"hello \"world\"","time":"T","zone":"1"}"#
        + "\n")
  }

  /// The fixed keys cannot be overwritten by metadata, and the controller's lines have no service.
  @Test func fixedKeysWinOverMetadata() throws {
    let (logger, lines) = self.logger()
    logger.info("real", metadata: ["message": "fake", "level": "critical", "time": "never"])
    let line = try object(try #require(lines.all.first))
    #expect(line["message"] as? String == "real")
    #expect(line["level"] as? String == "info")
    #expect(line["time"] as? String != "never")
    #expect(line["service"] == nil)
  }

  @Test func levelFilters() {
    let (logger, lines) = self.logger(level: .warning)
    logger.info("dropped")
    logger.error("kept")
    #expect(lines.all.count == 1)
  }
}
