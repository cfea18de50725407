import Pipeline
import Synchronization
import Testing

/// The console: GitHub's annotations and groups in Actions, plain lines elsewhere, secrets
/// registered before they could be printed and masked in every line.
@Suite struct CIConsoleTests {
  final class Capture: Sendable {
    let text = Mutex("")
    var value: String { text.withLock { $0 } }
    func append(_ part: String) { text.withLock { $0 += part } }
  }

  @Test func inGitHubActionsSecretsAreMaskedAndErrorsAreAnnotations() async {
    let capture = Capture()
    let console = CIConsole(style: .githubActions) { capture.append($0) }
    console.masker.register("hunter2-password")
    console.line("logging in with hunter2-password")
    await console.group("swift build user-service") { console.detail("Compiling ServiceKit") }
    console.error(
      "bad value hunter2-password\nsecond line",
      location: SourceLocation(file: "charts/a.yaml", line: 4))
    #expect(
      capture.value == """
        ::add-mask::hunter2-password
        logging in with ***
        ::group::swift build user-service
          Compiling ServiceKit
        ::endgroup::
        ::error file=charts/a.yaml,line=4::bad value ***%0Asecond line

        """)
  }

  @Test func plainLogsGetNoWorkflowCommands() {
    let capture = Capture()
    let console = CIConsole(style: .plain) { capture.append($0) }
    console.masker.register("hunter2-password")
    console.status("building user-service")
    console.error("hunter2-password leaked", location: SourceLocation(file: "x.yaml", line: 2))
    #expect(capture.value == "error: x.yaml:2: *** leaked\n")
  }

  @Test func aTerminalRedrawsTheStatusLineBelowEachLine() {
    let capture = Capture()
    let console = CIConsole(style: .terminal) { capture.append($0) }
    console.status("pushing user-service: 1.0 MB of 2.0 MB")
    console.line("user-service: built")
    #expect(
      capture.value
        == "\r\u{1B}[2Kpushing user-service: 1.0 MB of 2.0 MB"
        + "\r\u{1B}[2Kuser-service: built\npushing user-service: 1.0 MB of 2.0 MB")
  }

  @Test func styleDetection() {
    #expect(
      CIConsole.detectStyle(environment: ["GITHUB_ACTIONS": "true"], outputIsTerminal: true)
        == .githubActions)
    #expect(CIConsole.detectStyle(environment: [:], outputIsTerminal: true) == .terminal)
    #expect(CIConsole.detectStyle(environment: ["TERM": "dumb"], outputIsTerminal: true) == .plain)
    #expect(CIConsole.detectStyle(environment: [:], outputIsTerminal: false) == .plain)
  }
}
