import Controller
import Testing

@Suite struct GitHubWebhookEventTests {
  @Test func aPushNamesItsRefCommitAndRepository() throws {
    let body = Array(
      """
      {"ref":"refs/heads/main","after":"abc","repository":{"full_name":"o/r",\
      "clone_url":"https://github.com/o/r.git","ssh_url":"git@github.com:o/r.git"}}
      """.utf8)
    let event = try GitHubWebhookEvent.decode(eventName: "push", body: body)
    guard case .push(let ref, let after, let repository) = event else {
      Issue.record("not a push: \(event)")
      return
    }
    #expect(ref == "refs/heads/main")
    #expect(after == "abc")
    #expect(repository.matches("https://github.com/o/r"))
    #expect(repository.matches("git@github.com:O/R.git"))
    #expect(repository.matches("ssh://git@github.com/o/r.git"))
    #expect(!repository.matches("https://github.com/o/other.git"))
    #expect(!repository.matches("https://gitlab.com/o/r.git"))
  }

  @Test func pingAndOtherEvents() throws {
    #expect(
      try GitHubWebhookEvent.decode(
        eventName: "ping", body: Array(#"{"zen":"Keep it simple."}"#.utf8))
        == .ping(zen: "Keep it simple."))
    #expect(try GitHubWebhookEvent.decode(eventName: "issues", body: []) == .other(name: "issues"))
  }

  @Test func aPushWithoutRefOrBodyIsInvalid() {
    #expect(throws: ControllerError.self) {
      try GitHubWebhookEvent.decode(eventName: "push", body: Array(#"{"after":"x"}"#.utf8))
    }
    #expect(throws: ControllerError.self) {
      try GitHubWebhookEvent.decode(eventName: "push", body: Array("not json{".utf8))
    }
    #expect(throws: ControllerError.self) {
      try GitHubWebhookEvent.decode(eventName: nil, body: [])
    }
  }
}
