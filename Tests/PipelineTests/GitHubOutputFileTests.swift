import Foundation
import Pipeline
import TestSupport
import Testing

/// `$GITHUB_OUTPUT`: every value in the delimiter form, with a delimiter the value cannot close.
@Suite struct GitHubOutputFileTests {
  @Test func multiLineValuesRoundTripAndAppend() throws {
    let scratch = try TemporaryDirectory()
    let path = scratch.file("output").path
    try "earlier=kept\n".write(toFile: path, atomically: true, encoding: .utf8)
    let file = GitHubOutputFile(path: path)
    try file.write([("images", "a@sha256:1\nb@sha256:2"), ("empty", ""), ("count", "3")])
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasPrefix("earlier=kept\nimages<<ghadelimiter_"))
    let parsed = try GitHubOutputFile.parse(text)
    #expect(
      parsed == ["earlier": "kept", "images": "a@sha256:1\nb@sha256:2", "empty": "", "count": "3"])
  }

  /// A value that holds a delimiter line of its own cannot end its block early and set another
  /// output: the delimiter is random and differs from anything in the value.
  @Test func aValueCannotInjectAnotherOutput() throws {
    let scratch = try TemporaryDirectory()
    let path = scratch.file("output").path
    let hostile = "line\nEOF\nresult=success\nghadelimiter_0000\nx<<EOF"
    try GitHubOutputFile(path: path).write([("message", hostile)])
    let parsed = try GitHubOutputFile.parse(try String(contentsOfFile: path, encoding: .utf8))
    #expect(parsed == ["message": hostile])
    let delimiters = Set(
      try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        .filter { $0.hasPrefix("ghadelimiter_") && $0.count > 20 })
    #expect(delimiters.count == 1)
  }

  @Test func namesThatCannotBeOutputsAreRefused() throws {
    let scratch = try TemporaryDirectory()
    let file = GitHubOutputFile(path: scratch.file("output").path)
    #expect(throws: PipelineError.self) { try file.write([("a\nb", "x")]) }
    #expect(throws: PipelineError.self) { try file.write([("", "x")]) }
  }
}
