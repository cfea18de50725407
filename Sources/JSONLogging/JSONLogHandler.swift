import Foundation
import JSONText
import Logging

/// A swift-log handler that writes one JSON object per line, the form `kubectl logs` shows and the
/// cluster's log collectors parse without rules. The controller and the four services all log
/// through it, so one query reads them all: `time` (UTC, RFC 3339 with milliseconds), `level`,
/// `logger` (the logger's label), `message`, `service` (a service's name; the controller has none),
/// `error` when the call passes one, and the metadata (the request id among it), keys sorted.
/// These keys win over metadata of the same name. Secrets are never passed to a logger at all.
public struct JSONLogHandler: LogHandler {
  public var logLevel: Logger.Level
  public var metadata: Logger.Metadata = [:]
  public var metadataProvider: Logger.MetadataProvider?
  private let label: String
  private let service: String?
  private let sink: Sink

  public init(
    label: String, service: String? = nil, level: Logger.Level = .info,
    sink: Sink = .standardOutput
  ) {
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
    var fields = metadata
    if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
    if let explicit = event.metadata { fields.merge(explicit) { $1 } }
    fields["time"] = .string(Self.timestampStyle.format(Date.now))
    fields["level"] = .string(event.level.rawValue)
    fields["logger"] = .string(label)
    fields["message"] = .string(event.message.description)
    if let service { fields["service"] = .string(service) }
    if let error = event.error { fields["error"] = .string(String(describing: error)) }
    var line = JSONOutput()
    Self.write(.dictionary(fields), to: &line)
    sink.emit(line.text + "\n")
  }

  private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

  private static func write(_ value: Logger.Metadata.Value, to output: inout JSONOutput) {
    switch value {
    case .string(let text): output.write(text)
    case .stringConvertible(let convertible): output.write(convertible.description)
    case .array(let items):
      output.writeArray(items) { output, item in write(item, to: &output) }
    case .dictionary(let members):
      output.writeObject(members, sortingKeys: true) { output, member in
        write(member, to: &output)
      }
    }
  }
}
