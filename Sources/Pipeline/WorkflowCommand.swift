/// A GitHub Actions workflow command (`::error file=a.yaml,line=3::message`), written to standard
/// output where the runner reads it.
///
/// GitHub parses these lines itself, so what they carry must be escaped as the runner unescapes it:
/// in the message (the "data"), `%`, CR and LF become `%25`, `%0D` and `%0A`; in property values,
/// `:` and `,` also become `%3A` and `%2C` (they separate properties). Without this a message with
/// a newline would end the command early and the rest would print as plain text.
public struct WorkflowCommand: Sendable, Equatable, CustomStringConvertible {
  /// The command name: `error`, `warning`, `notice`, `group`, `endgroup`, `add-mask`, `debug`.
  public var name: String
  /// Properties in the order they are written (`file`, `line`, `col`, `title`, ...).
  public var properties: [(key: String, value: String)]
  public var message: String

  public init(name: String, properties: [(key: String, value: String)] = [], message: String = "") {
    self.name = name
    self.properties = properties
    self.message = message
  }

  public static func == (left: WorkflowCommand, right: WorkflowCommand) -> Bool {
    left.name == right.name && left.message == right.message
      && left.properties.map(\.key) == right.properties.map(\.key)
      && left.properties.map(\.value) == right.properties.map(\.value)
  }

  /// The line as the runner expects it, without the trailing newline.
  public var description: String {
    var line = "::" + name
    if !properties.isEmpty {
      line +=
        " "
        + properties.map { "\($0.key)=\(Self.escapeProperty($0.value))" }.joined(separator: ",")
    }
    return line + "::" + Self.escapeData(message)
  }

  /// Escapes a command's message.
  public static func escapeData(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
      switch character {
      case "%": result += "%25"
      case "\r": result += "%0D"
      case "\n": result += "%0A"
      default: result.unicodeScalars.append(character)
      }
    }
    return result
  }

  /// Escapes a property value.
  public static func escapeProperty(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
      switch character {
      case "%": result += "%25"
      case "\r": result += "%0D"
      case "\n": result += "%0A"
      case ":": result += "%3A"
      case ",": result += "%2C"
      default: result.unicodeScalars.append(character)
      }
    }
    return result
  }
}

extension WorkflowCommand {
  /// `::error file=...,line=...,col=...,title=...::message`: an annotation on the run and, when
  /// `file` is in the repository, on that line of the pull request's diff.
  public static func error(_ message: String, location: SourceLocation? = nil, title: String? = nil)
    -> WorkflowCommand
  {
    annotation("error", message, location: location, title: title)
  }

  /// `::warning ...::message`.
  public static func warning(
    _ message: String, location: SourceLocation? = nil, title: String? = nil
  ) -> WorkflowCommand {
    annotation("warning", message, location: location, title: title)
  }

  /// `::notice ...::message`.
  public static func notice(
    _ message: String, location: SourceLocation? = nil, title: String? = nil
  ) -> WorkflowCommand {
    annotation("notice", message, location: location, title: title)
  }

  /// `::group::title`: the lines until `endGroup` fold under `title` in the log.
  public static func group(_ title: String) -> WorkflowCommand {
    WorkflowCommand(name: "group", message: title)
  }

  /// `::endgroup::`.
  public static let endGroup = WorkflowCommand(name: "endgroup")

  /// `::add-mask::value`: the runner replaces `value` with `***` in every later log line.
  public static func addMask(_ secret: String) -> WorkflowCommand {
    WorkflowCommand(name: "add-mask", message: secret)
  }

  private static func annotation(
    _ name: String, _ message: String, location: SourceLocation?, title: String?
  ) -> WorkflowCommand {
    var properties: [(key: String, value: String)] = []
    if let location {
      properties.append(("file", location.file))
      if let line = location.line { properties.append(("line", String(line))) }
      if let column = location.column { properties.append(("col", String(column))) }
    }
    if let title { properties.append(("title", title)) }
    return WorkflowCommand(name: name, properties: properties, message: message)
  }
}

/// A place in a repository file that an annotation points at.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The path from the repository root (`charts/tripgen/templates/deployment.yaml`).
  public var file: String
  public var line: Int?
  public var column: Int?

  public init(file: String, line: Int? = nil, column: Int? = nil) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// `file:line:column` as far as known.
  public var description: String {
    file + (line.map { ":\($0)" } ?? "") + (column.map { ":\($0)" } ?? "")
  }
}
