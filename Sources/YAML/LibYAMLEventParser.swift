import CYAML

/// A thin owner of a libyaml `yaml_parser_t` reading from memory. It hands out raw events (the fast
/// loader reads scalars straight out of libyaml's buffers) and turns libyaml's error state into a
/// `YAMLError` naming the file, line and column.
///
/// The input buffer must outlive the parser: callers create it inside `withUnsafeBufferPointer`.
final class LibYAMLEventParser {
  private let parser: UnsafeMutablePointer<yaml_parser_t>
  private let input: UnsafeBufferPointer<UInt8>
  let file: String?

  /// libyaml asserts on a NULL input pointer, so empty input reads from this instead.
  nonisolated(unsafe) private static let emptyInput: UnsafeMutablePointer<UInt8> = {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return pointer
  }()

  init(input: UnsafeBufferPointer<UInt8>, file: String?) {
    self.input = input
    self.file = file
    parser = .allocate(capacity: 1)
    // yaml_parser_initialize only fails when malloc fails; Swift would trap on that anyway.
    _ = yaml_parser_initialize(parser)
    // No yaml_parser_set_encoding: libyaml then detects a UTF-16 byte order mark itself.
    yaml_parser_set_input_string(
      parser, input.baseAddress ?? UnsafePointer(Self.emptyInput), input.count)
  }

  deinit {
    yaml_parser_delete(parser)
    parser.deallocate()
  }

  /// Reads the next event into `event`; the caller must `yaml_event_delete` it.
  func next(into event: UnsafeMutablePointer<yaml_event_t>) throws(YAMLError) {
    guard yaml_parser_parse(parser, event) != 0 else { throw currentError() }
  }

  /// The 1-based position of a libyaml (0-based) mark.
  static func mark(_ mark: yaml_mark_t) -> Mark {
    Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
  }

  func location(_ mark: yaml_mark_t) -> YAMLLocation {
    YAMLLocation(file: file, mark: Self.mark(mark))
  }

  func location(_ mark: Mark) -> YAMLLocation {
    YAMLLocation(file: file, mark: mark)
  }

  private func currentError() -> YAMLError {
    let state = parser.pointee
    var problem = state.problem.map { String(cString: $0) } ?? "unknown libyaml error"
    if state.error == YAML_READER_ERROR {
      // Reader errors (bad encoding) carry a byte offset instead of a mark.
      if state.problem_value != -1 {
        problem += " (byte 0x\(String(state.problem_value, radix: 16, uppercase: true)))"
      }
      return .syntax(location(markOfByte(state.problem_offset)), problem: problem, context: nil)
    }
    let problemMark = Self.mark(state.problem_mark)
    var context = state.context.map { String(cString: $0) }
    let contextMark = Self.mark(state.context_mark)
    if context != nil && contextMark != problemMark {
      context! += " at line \(contextMark.line), column \(contextMark.column)"
    }
    return .syntax(location(problemMark), problem: problem, context: context)
  }

  /// The line and character column of a byte offset, counted in the input.
  private func markOfByte(_ offset: Int) -> Mark {
    var line = 1
    var column = 1
    for byte in input.prefix(min(offset, input.count)) {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return Mark(line: line, column: column)
  }
}

extension yaml_event_t {
  /// The event's anchor (for scalars, sequence and mapping starts, and aliases), if any.
  var anchorName: String? {
    let pointer: UnsafeMutablePointer<yaml_char_t>?
    switch type {
    case YAML_SCALAR_EVENT: pointer = data.scalar.anchor
    case YAML_SEQUENCE_START_EVENT: pointer = data.sequence_start.anchor
    case YAML_MAPPING_START_EVENT: pointer = data.mapping_start.anchor
    case YAML_ALIAS_EVENT: pointer = data.alias.anchor
    default: pointer = nil
    }
    return pointer.map { String(cString: $0) }
  }

  /// The event's explicit tag, if any, as libyaml resolved it (`tag:yaml.org,2002:int` for `!!int`).
  var tagName: String? {
    let pointer: UnsafeMutablePointer<yaml_char_t>?
    switch type {
    case YAML_SCALAR_EVENT: pointer = data.scalar.tag
    case YAML_SEQUENCE_START_EVENT: pointer = data.sequence_start.tag
    case YAML_MAPPING_START_EVENT: pointer = data.mapping_start.tag
    default: pointer = nil
    }
    return pointer.map { String(cString: $0) }
  }

  /// The scalar's text, without copying.
  var scalarBytes: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: data.scalar.value, count: data.scalar.length)
  }

  var scalarStyle: YAMLScalarStyle {
    switch data.scalar.style {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: return .literal
    case YAML_FOLDED_SCALAR_STYLE: return .folded
    default: return .plain
    }
  }
}
