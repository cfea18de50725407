import Dispatch
import Foundation
import OCI
import TestSupport
import Testing

/// Runs the built `tripgen` executable (SwiftPM puts it next to the test bundle) on a Dispatch
/// thread, so waiting for it does not hold a thread of the cooperative pool.
func tripgen(_ arguments: [String], environment: [String: String]) async throws
  -> Command.Result
{
  try await run([try tripgenPath()] + arguments, environment: environment)
}

func tripgenPath() throws -> String {
  let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    .deletingLastPathComponent()
  let executable = directory.appendingPathComponent("tripgen").path
  guard FileManager.default.isExecutableFile(atPath: executable) else {
    throw MissingExecutable(path: executable)
  }
  return executable
}

func run(_ arguments: [String], environment: [String: String]) async throws
  -> Command.Result
{
  try await withCheckedThrowingContinuation { continuation in
    DispatchQueue.global().async {
      continuation.resume(with: Result { try Command.run(arguments, environment: environment) })
    }
  }
}

private struct MissingExecutable: Error, CustomStringConvertible {
  var path: String
  var description: String { "\(path) is missing: build the package first (swift build)" }
}

/// `tripgen image push` and `inspect` against a real registry: credentials from a credential
/// helper, `--output json` with the pushed digests, plain progress lines off a terminal and a
/// redrawn status line on one.
@Suite struct ImageCommandTests {
  let registry: RegistryServer
  let scratch: TemporaryDirectory
  let environment: [String: String]

  init() throws {
    registry = try RegistryServer()
    scratch = try TemporaryDirectory(prefix: "image-command")
    // The registry's password comes from a credential helper named in config.json.
    try FileManager.default.createDirectory(
      atPath: scratch.path + "/bin", withIntermediateDirectories: true)
    try ExecutableScript.install(
      """
      #!/bin/sh
      read server
      [ "$server" = "\(registry.host)" ] || { echo "credentials not found"; exit 1; }
      printf '{"ServerURL":"%s","Username":"\(registry.username)","Secret":"\(registry.password)"}' "$server"
      """, at: scratch.path + "/bin/docker-credential-test")
    try Data(#"{"credHelpers":{"\#(registry.host)":"test"}}"#.utf8)
      .write(to: scratch.file("config.json"))
    environment = [
      "DOCKER_CONFIG": scratch.path,
      "PATH": scratch.path + "/bin:"
        + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
      "TRIPGEN_REGISTRY_USERNAME": "", "CI": "",
    ]
  }

  @Test func pushWithJSONOutputGivesTheDigestsAndPlainProgressOnStandardError() async throws {
    let manifest = try TestImages.write(to: scratch.path + "/layout", layerSizes: [3 << 20, 4000])
    let result = try await tripgen(
      [
        "image", "push", "oci:\(scratch.path)/layout:v1", "\(registry.host)/cli/app:v1",
        "--tag", "stable", "--output", "json",
      ], environment: environment)
    #expect(result.status == 0, "\(result.standardError)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    #expect(json["manifestDigest"] as? String == manifest.digest.description)
    #expect(json["repository"] as? String == "\(registry.host)/cli/app")
    #expect(json["tags"] as? [String] == ["v1", "stable"])
    let blobs = try #require(json["blobs"] as? [[String: Any]])
    #expect(blobs.count == 3)
    #expect(blobs.allSatisfy { $0["transfer"] as? String == "uploaded" })

    // Progress went to standard error as plain lines: who we are (never the secret), each blob,
    // the summary; no terminal control sequences.
    let progress = result.standardError
    #expect(progress.contains("registry \(registry.host): user \(registry.username)"))
    #expect(progress.contains("uploaded"))
    #expect(progress.contains("sent 3.0 MiB in "))
    #expect(progress.contains("blobs 3/3 in the repository"))
    #expect(!progress.contains("\u{1B}["))
    #expect(!(progress + result.standardOutput).contains(registry.password))

    let inspected = try await tripgen(
      ["image", "inspect", "\(registry.host)/cli/app:stable"], environment: environment)
    #expect(inspected.status == 0, "\(inspected.standardError)")
    #expect(inspected.standardOutput.contains(#""digest":"\#(manifest.digest)""#))
  }

  @Test func pushOnATerminalRedrawsAStatusLine() async throws {
    try TestImages.write(to: scratch.path + "/layout")
    // `script` gives the command a pseudo-terminal and copies what it writes to standard output.
    let command = [
      try tripgenPath(), "image", "push", "oci:\(scratch.path)/layout:v1",
      "\(registry.host)/cli/tty:v1",
    ].map { "'\($0)'" }.joined(separator: " ")
    let result = try await run(
      ["script", "--quiet", "--return", "--command", command, "/dev/null"],
      environment: environment.merging(["TERM": "xterm"]) { $1 })
    #expect(result.status == 0, "\(result.standardOutput)")
    #expect(result.standardOutput.contains("\r\u{1B}[K"))
    #expect(result.standardOutput.contains("blobs 3/3, "))
    #expect(result.standardOutput.contains("pushed \(registry.host)/cli/tty@sha256:"))

    // The same with CI=true: plain lines only.
    let plain = try await run(
      ["script", "--quiet", "--return", "--command", command, "/dev/null"],
      environment: environment.merging(["TERM": "xterm", "CI": "true"]) { $1 })
    #expect(plain.status == 0, "\(plain.standardOutput)")
    #expect(!plain.standardOutput.contains("\u{1B}[K"))
    #expect(plain.standardOutput.contains("blob "))
  }

  @Test func buildWithAnExistingSourceTagDoesNothing() async throws {
    // A repository whose services/app tree decides the tag.
    let repository = scratch.path + "/repo"
    try FileManager.default.createDirectory(
      atPath: repository + "/services/app", withIntermediateDirectories: true)
    try Data("v1\n".utf8).write(to: URL(fileURLWithPath: repository + "/services/app/main.txt"))
    let git = ["git", "-C", repository, "-c", "user.name=t", "-c", "user.email=t@example.com"]
    try Command.check(git + ["init", "-q"])
    try Command.check(git + ["add", "."])
    try Command.check(git + ["commit", "-q", "-m", "one"])
    let tree = try Command.check(git + ["rev-parse", "HEAD:services/app"]).standardOutput
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let tag = try SourceAddressedTag(
      sources: [.init(path: "services/app", objectID: tree)], base: "host-runtime",
      product: "no-such-product")
    let manifest = try TestImages.write(to: scratch.path + "/layout")
    let pushed = try await tripgen(
      ["image", "push", "oci:\(scratch.path)/layout:v1", "\(registry.host)/cli/app:\(tag)"],
      environment: environment)
    #expect(pushed.status == 0, "\(pushed.standardError)")

    // The product does not exist: only skipping the build lets this succeed.
    let build = [
      "image", "build", "no-such-product", "--to", "\(registry.host)/cli/app:v2",
      "--source-path", "services/app", "--skip-existing", "--package-path", repository,
      "--output", "json",
    ]
    let skipped = try await tripgen(build, environment: environment)
    #expect(skipped.status == 0, "\(skipped.standardError)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(skipped.standardOutput.utf8)) as? [String: Any])
    #expect(json["sourceTag"] as? String == tag.tag)
    #expect(json["digest"] as? String == manifest.digest.description)
    #expect(json["skipped"] as? Bool == true)

    // A change under the path makes another tag, which is not there: the build is attempted.
    try Data("v2\n".utf8).write(to: URL(fileURLWithPath: repository + "/services/app/main.txt"))
    try Command.check(git + ["commit", "-q", "-a", "-m", "two"])
    let attempted = try await tripgen(build, environment: environment)
    #expect(attempted.status != 0)
    #expect(attempted.standardError.contains("building no-such-product"))
  }

  @Test func sourceTagNamesARegistryBaseWithItsDigest() async throws {
    let repository = scratch.path + "/repo"
    try FileManager.default.createDirectory(
      atPath: repository + "/app", withIntermediateDirectories: true)
    try Data("x\n".utf8).write(to: URL(fileURLWithPath: repository + "/app/x"))
    let git = ["git", "-C", repository, "-c", "user.name=t", "-c", "user.email=t@example.com"]
    try Command.check(git + ["init", "-q"])
    try Command.check(git + ["add", "."])
    try Command.check(git + ["commit", "-q", "-m", "one"])
    let tree = try Command.check(git + ["rev-parse", "HEAD:app"]).standardOutput
      .trimmingCharacters(in: .whitespacesAndNewlines)

    // The base is pushed as cli/base:v1; the expected tag names it with its digest.
    let base = try TestImages.write(to: scratch.path + "/base", seed: 3)
    _ = try await tripgen(
      ["image", "push", "oci:\(scratch.path)/base:v1", "\(registry.host)/cli/base:v1"],
      environment: environment)
    let tag = try SourceAddressedTag(
      sources: [.init(path: "app", objectID: tree)],
      base: "\(registry.host)/cli/base:v1@\(base.digest)", product: "no-such-product")
    try TestImages.write(to: scratch.path + "/layout")
    _ = try await tripgen(
      ["image", "push", "oci:\(scratch.path)/layout:v1", "\(registry.host)/cli/app:\(tag)"],
      environment: environment)

    let skipped = try await tripgen(
      [
        "image", "build", "no-such-product", "--to", "\(registry.host)/cli/app:v2",
        "--base", "\(registry.host)/cli/base:v1", "--source-path", "app", "--skip-existing",
        "--package-path", repository,
      ], environment: environment)
    #expect(skipped.status == 0, "\(skipped.standardError)")
    #expect(skipped.standardOutput.contains("already has \(tag.tag)"))
  }

  @Test func refusedCredentialsFailWithTheReasonAndNoSecret() async throws {
    try TestImages.write(to: scratch.path + "/layout")
    let result = try await tripgen(
      ["image", "push", "oci:\(scratch.path)/layout:v1", "\(registry.host)/cli/app:v1"],
      environment: environment.merging([
        "TRIPGEN_REGISTRY_USERNAME": registry.username,
        "TRIPGEN_REGISTRY_PASSWORD": "not-the-password",
      ]) { $1 })
    #expect(result.status != 0)
    #expect(
      result.standardError.contains(
        "authentication to \(registry.host) as \(registry.username) failed"))
    #expect(!(result.standardError + result.standardOutput).contains("not-the-password"))
  }
}
