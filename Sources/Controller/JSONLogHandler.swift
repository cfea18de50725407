import Foundation
import Logging
import Synchronization

/// One JSON object per line on standard error (`{"time":...,"level":"info","logger":...,
/// "message":...,<metadata>}`), the format log collectors in the cluster parse without rules.
/// Metadata values are written as strings; secrets are never passed to the logger in the first
/// place.
public struct JSONLogHandler: LogHandler {
  public var metadata: Logger.Metadata = [:]
  public var logLevel: Logger.Level = .info
  private let label: String
  private static let output = Mutex(())

  public init(label: String) {
    self.label = label
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var fields: [String: String] = [:]
    for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
      fields[key] = "\(value)"
    }
    if let error = event.error { fields["error"] = "\(error)" }
    fields["time"] = Date().formatted(.iso8601)
    fields["level"] = event.level.rawValue
    fields["logger"] = label
    fields["message"] = event.message.description
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard var data = try? encoder.encode(fields) else { return }
    data.append(0x0A)
    Self.output.withLock { _ in FileHandle.standardError.write(data) }
  }
}
