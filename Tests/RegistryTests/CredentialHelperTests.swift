import Foundation
import Registry
import TestSupport
import Testing

/// `credHelpers` and `credsStore` of `~/.docker/config.json` through the `docker-credential-*`
/// protocol, with small shell-script helpers on a PATH of their own.
@Suite struct CredentialHelperTests {
  let directory: TemporaryDirectory

  init() throws {
    directory = try TemporaryDirectory(prefix: "credential-helpers")
    try FileManager.default.createDirectory(
      atPath: directory.path + "/bin", withIntermediateDirectories: true)
    // Records its arguments and input, then answers for two servers and says "not found" for
    // the rest, as the real helpers do (exit 1 with that message).
    try writeHelper(
      "fake",
      """
      #!/bin/sh
      input=$(cat)
      printf '%s|%s\\n' "$*" "$input" >> "\(directory.path)/calls"
      case "$input" in
        helped.example:5000) printf '{"ServerURL":"%s","Username":"robot","Secret":"helper-secret"}' "$input" ;;
        token.example) printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-from-helper"}' "$input" ;;
        *) echo "credentials not found in native keychain"; exit 1 ;;
      esac
      """)
    try writeHelper(
      "broken",
      """
      #!/bin/sh
      echo "the keyring is locked" >&2
      exit 3
      """)
    try writeHelper(
      "garbled",
      """
      #!/bin/sh
      echo "Secret=leaky-secret"
      """)
    let auth = Data("alice:from-auths".utf8).base64EncodedString()
    try Data(
      """
      {"credsStore":"fake",
       "credHelpers":{"helped.example:5000":"fake","broken.example":"broken",
                      "missing.example":"absent","garbled.example":"garbled"},
       "auths":{"plain.example":{"auth":"\(auth)"},"helped.example:5000":{}}}
      """.utf8
    ).write(to: directory.file("config.json"))
  }

  func writeHelper(_ name: String, _ script: String) throws {
    try ExecutableScript.install(script, at: directory.path + "/bin/docker-credential-\(name)")
  }

  func authentication(_ registry: String) async throws -> RegistryAuthentication {
    try await RegistryCredentialStore.authentication(
      for: registry,
      environment: ["DOCKER_CONFIG": directory.path, "PATH": directory.path + "/bin:/usr/bin:/bin"])
  }

  @Test func helpersAnswerInDockersOrder() async throws {
    // credHelpers wins over the (empty) auths entry Docker leaves behind.
    #expect(
      try await authentication("helped.example:5000")
        == .basic(RegistryCredentials(username: "robot", password: "helper-secret")))
    // auths wins over credsStore.
    #expect(
      try await authentication("plain.example")
        == .basic(RegistryCredentials(username: "alice", password: "from-auths")))
    // credsStore for the rest; `<token>` means an identity token.
    #expect(try await authentication("token.example") == .identityToken("refresh-from-helper"))
    #expect(try await authentication("unknown.example") == .anonymous)

    let calls = try String(contentsOf: directory.file("calls"), encoding: .utf8)
    #expect(calls == "get|helped.example:5000\nget|token.example\nget|unknown.example\n")
  }

  @Test func failingHelpersAreNamedWithoutTheirSecrets() async throws {
    let broken = await #expect(throws: RegistryError.self) {
      try await authentication("broken.example")
    }
    #expect(
      broken?.description
        == "the credential helper docker-credential-broken failed for broken.example: it exited "
        + "with status 3: the keyring is locked (is it on PATH, and logged in?)")
    let missing = await #expect(throws: RegistryError.self) {
      try await authentication("missing.example")
    }
    #expect(missing?.description.contains("docker-credential-absent") == true)
    #expect(missing?.description.contains("it is not on PATH") == true)
    let garbled = await #expect(throws: RegistryError.self) {
      try await authentication("garbled.example")
    }
    #expect(garbled?.description.contains("is not {\"Username\",\"Secret\"} JSON") == true)
    #expect(garbled?.description.contains("leaky-secret") == false)
  }
}
