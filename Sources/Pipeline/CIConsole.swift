import Foundation
import Synchronization

/// Where a CI run's progress goes, shaped for who reads it:
/// - `githubActions`: plain lines, long output folded into `::group::` sections, errors and
///   warnings as workflow annotations;
/// - `plain`: plain lines (a log file, a pipe, another CI system);
/// - `terminal`: plain lines for what happened, plus one live status line at the bottom (which
///   service is building, bytes pushed) rewritten in place.
/// Every line passes through the run's `SecretMasker` first.
public final class CIConsole: Sendable {
  public enum Style: String, Sendable {
    case githubActions
    case plain
    case terminal
  }

  public let style: Style
  public let masker: SecretMasker
  private let write: @Sendable (String) -> Void
  private let liveStatus = Mutex<String?>(nil)

  /// `write` receives text to put on the output as it is (lines end with `\n`).
  public init(style: Style, write: @escaping @Sendable (String) -> Void) {
    self.style = style
    self.write = write
    let emit: @Sendable (String) -> Void
    if style == .githubActions {
      emit = { write($0 + "\n") }
    } else {
      emit = { _ in }
    }
    masker = SecretMasker(emit: emit)
  }

  /// The style for this process: GitHub Actions when `GITHUB_ACTIONS=true`, the terminal when
  /// standard output (or standard error, for JSON output) is one, else plain lines.
  public static func detectStyle(environment: [String: String], outputIsTerminal: Bool) -> Style {
    if environment["GITHUB_ACTIONS"] == "true" { return .githubActions }
    if outputIsTerminal, environment["TERM"] != "dumb" { return .terminal }
    return .plain
  }

  /// A line that stays in the log.
  public func line(_ text: String) {
    let masked = masker.mask(text)
    if style == .terminal {
      let status = liveStatus.withLock { $0 }
      // Clear the status line, print the line, draw the status again below it.
      write("\r\u{1B}[2K" + masked + "\n" + (status.map { Self.fit($0) } ?? ""))
    } else {
      write(masked + "\n")
    }
  }

  /// A transient status: on a terminal it replaces the previous one; elsewhere it is dropped, since
  /// a log wants events, not a ticker (the events are reported with `line`).
  public func status(_ text: String?) {
    guard style == .terminal else { return }
    let masked = text.map { masker.mask($0) }
    liveStatus.withLock { $0 = masked }
    write("\r\u{1B}[2K" + (masked.map { Self.fit($0) } ?? ""))
  }

  /// Runs `body` with its detailed lines folded under `title` (GitHub Actions), or indented.
  public func group<T, E: Error>(_ title: String, _ body: () async throws(E) -> T) async throws(E)
    -> T
  {
    if style == .githubActions {
      write(WorkflowCommand.group(masker.mask(title)).description + "\n")
      defer { write(WorkflowCommand.endGroup.description + "\n") }
      return try await body()
    }
    line(title)
    return try await body()
  }

  /// Detailed output of a step (compiler lines, blob transfers): folded inside a group in GitHub
  /// Actions, indented in plain logs, shown only as the live status on a terminal.
  public func detail(_ text: String) {
    switch style {
    case .githubActions, .plain: line("  " + text)
    case .terminal: status(text)
    }
  }

  /// An error, as an annotation in GitHub Actions (with its file and line when known).
  public func error(_ message: String, location: SourceLocation? = nil, title: String? = nil) {
    let masked = masker.mask(message)
    if style == .githubActions {
      write(WorkflowCommand.error(masked, location: location, title: title).description + "\n")
    } else {
      line("error: " + (location.map { "\($0): " } ?? "") + masked)
    }
  }

  /// A warning, as an annotation in GitHub Actions.
  public func warning(_ message: String, location: SourceLocation? = nil, title: String? = nil) {
    let masked = masker.mask(message)
    if style == .githubActions {
      write(WorkflowCommand.warning(masked, location: location, title: title).description + "\n")
    } else {
      line("warning: " + (location.map { "\($0): " } ?? "") + masked)
    }
  }

  /// Terminal status lines are cut to 120 columns so that they never wrap (a wrapped line cannot be
  /// rewritten with a carriage return).
  private static func fit(_ text: String) -> String {
    let flat = text.replacingOccurrences(of: "\n", with: " ")
    return flat.count > 120 ? String(flat.prefix(119)) + "…" : flat
  }
}
