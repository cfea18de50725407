import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line (what `kubectl logs` and log collectors
/// parse): time, level, logger label, message, the service name, and the metadata (request id among it).
public struct JSONLogHandler: LogHandler {
  /// Where lines go; a lock keeps lines from interleaving across threads.
  public final class Sink: Sendable {
    private let write: Mutex<(String) -> Void>

    /// Standard output, as containers log.
    public static let standardOutput = Sink { line in
      FileHandle.standardOutput.write(Data(line.utf8))
    }

    /// A sink that hands each line (with its newline) to `write`, for tests.
    public init(_ write: @escaping @Sendable (String) -> Void) {
      self.write = Mutex(write)
    }

    func emit(_ line: String) {
      write.withLock { $0(line) }
    }
  }

  public var logLevel: Logger.Level
  public var metadata: Logger.Metadata = [:]
  public var metadataProvider: Logger.MetadataProvider?
  private let label: String
  private let service: String
  private let sink: Sink

  public init(label: String, service: String, level: Logger.Level, sink: Sink = .standardOutput) {
    self.label = label
    self.service = service
    self.logLevel = level
    self.sink = sink
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var merged = metadata
    if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
    if let explicit = event.metadata { merged.merge(explicit) { $1 } }
    var object: [String: Any] = [
      "ts": Self.timestamp(),
      "level": event.level.rawValue,
      "logger": label,
      "service": service,
      "message": event.message.description,
    ]
    if let error = event.error { object["error"] = String(describing: error) }
    for (key, value) in merged where object[key] == nil {
      object[key] = Self.json(value)
    }
    guard
      let data = try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
      let text = String(data: data, encoding: .utf8)
    else { return }
    sink.emit(text + "\n")
  }

  private static func json(_ value: Logger.Metadata.Value) -> Any {
    switch value {
    case .string(let string): return string
    case .stringConvertible(let convertible): return convertible.description
    case .array(let array): return array.map(json)
    case .dictionary(let dictionary): return dictionary.mapValues(json)
    }
  }

  private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

  /// UTC with milliseconds: `2026-11-27T04:22:33.392Z`.
  private static func timestamp() -> String {
    timestampStyle.format(Date.now)
  }
}
