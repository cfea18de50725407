import CYAML

/// Writes JSON values as block-style YAML through libyaml's emitter, configured and driven the way
/// go-yaml v2 (a port of the same emitter) is when Helm's `toYaml` or kubectl print YAML:
/// two-space indentation, sequences inside mappings not indented (`key:\n- a`), `{}` and `[]` for
/// empty collections, Unicode written as is, long plain strings folded at 80 columns (go-yaml v2.4's
/// default; `lineWidth: nil` turns folding off). Strings are quoted only when they must be (see
/// `ScalarQuoting`); multi-line strings become literal blocks.
///
/// Differences from go-yaml v2, each so that reading the output back gives the same value: a double
/// with an integral value is written `1.0` (go-yaml writes `1`, which reads back as an integer), and
/// a `<<` key is quoted.
public struct YAMLEmitter: Sendable {
  /// Write object keys in go-yaml's map order (as Helm's `toYaml` does) instead of their own order.
  public var sortKeys: Bool
  /// Fold long plain and quoted strings at this column; nil never folds.
  public var lineWidth: Int?

  public init(sortKeys: Bool = false, lineWidth: Int? = 80) {
    self.sortKeys = sortKeys
    self.lineWidth = lineWidth
  }

  /// One YAML document per value; documents after the first start with `---`.
  public func emit(_ documents: [JSONValue]) -> String {
    let sink = OutputSink()
    let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
    defer { emitter.deallocate() }
    _ = yaml_emitter_initialize(emitter)
    defer { yaml_emitter_delete(emitter) }
    yaml_emitter_set_unicode(emitter, 1)
    yaml_emitter_set_indent(emitter, 2)
    yaml_emitter_set_width(emitter, Int32(clamping: lineWidth ?? -1))
    yaml_emitter_set_output(emitter, writeToSink, Unmanaged.passUnretained(sink).toOpaque())

    var writer = EventWriter(emitter: emitter, sortKeys: sortKeys)
    writer.send { yaml_stream_start_event_initialize(&$0, YAML_UTF8_ENCODING) }
    for document in documents {
      writer.send { yaml_document_start_event_initialize(&$0, nil, nil, nil, 1) }
      writer.write(document)
      writer.send { yaml_document_end_event_initialize(&$0, 1) }
    }
    writer.send { yaml_stream_end_event_initialize(&$0) }
    _ = yaml_emitter_flush(emitter)
    return String(decoding: sink.bytes, as: UTF8.self)
  }
}

private final class OutputSink {
  var bytes: [UInt8] = []
}

/// libyaml's write handler: appends to the `OutputSink` passed as `data`.
private func writeToSink(
  _ data: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int
) -> Int32 {
  guard let data, let buffer else { return 1 }
  let sink = Unmanaged<OutputSink>.fromOpaque(data).takeUnretainedValue()
  sink.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
  return 1
}

private struct EventWriter {
  let emitter: UnsafeMutablePointer<yaml_emitter_t>
  let sortKeys: Bool
  private var event = yaml_event_t()

  init(emitter: UnsafeMutablePointer<yaml_emitter_t>, sortKeys: Bool) {
    self.emitter = emitter
    self.sortKeys = sortKeys
  }

  /// Emits one event. The sequence of events always comes from a well-formed value, so libyaml can
  /// only refuse one through a bug here: that is a programming error, not an input error.
  mutating func send(_ initialize: (inout yaml_event_t) -> Int32) {
    guard initialize(&event) != 0, yaml_emitter_emit(emitter, &event) != 0 else {
      let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "out of memory"
      preconditionFailure("libyaml emitter refused an event: \(problem)")
    }
  }

  mutating func write(_ value: JSONValue) {
    switch value {
    case .null: scalar("null", style: YAML_PLAIN_SCALAR_STYLE)
    case .bool(let b): scalar(b ? "true" : "false", style: YAML_PLAIN_SCALAR_STYLE)
    case .int(let i): scalar(String(i), style: YAML_PLAIN_SCALAR_STYLE)
    case .double(let d): scalar(Self.doubleText(d), style: YAML_PLAIN_SCALAR_STYLE)
    case .string(let s): scalar(s, style: ScalarQuoting.style(for: s, isKey: false))
    case .array(let items):
      send {
        yaml_sequence_start_event_initialize(&$0, nil, nil, 1, YAML_BLOCK_SEQUENCE_STYLE)
      }
      for item in items { write(item) }
      send { yaml_sequence_end_event_initialize(&$0) }
    case .object(let object):
      send { yaml_mapping_start_event_initialize(&$0, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE) }
      if sortKeys {
        for key in GoKeyOrder.sorted(object.keys) {
          scalar(key, style: ScalarQuoting.style(for: key, isKey: true))
          write(object[key]!)
        }
      } else {
        for (key, item) in object {
          scalar(key, style: ScalarQuoting.style(for: key, isKey: true))
          write(item)
        }
      }
      send { yaml_mapping_end_event_initialize(&$0) }
    }
  }

  private mutating func scalar(_ text: String, style: yaml_scalar_style_t) {
    var text = text
    text.withUTF8 { bytes in
      send {
        yaml_scalar_event_initialize(
          &$0, nil, nil, bytes.baseAddress ?? Self.empty, Int32(bytes.count), 1, 1, style)
      }
    }
  }

  nonisolated(unsafe) private static let empty: UnsafePointer<UInt8> = {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return UnsafePointer(pointer)
  }()

  /// go-yaml's float text, with `.0` added to integral values so they read back as doubles.
  static func doubleText(_ value: Double) -> String {
    let text = YAMLFloatText.value(value)
    if text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }) {
      return text + ".0"
    }
    return text
  }
}
