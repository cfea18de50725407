import Foundation
import Registry
import Testing

/// The pieces of the protocol that need no server: challenges, error bodies, credentials, schemes.
@Suite struct RegistryProtocolTests {
  @Test func bearerChallengeParameters() throws {
    let challenge = try #require(
      AuthenticationChallenge(
        parsing:
          #"Bearer realm="https://auth.example.io/token",service="registry.example.io",scope="repository:team/app:pull,push repository:base:pull",error="insufficient_scope""#
      ))
    #expect(challenge.scheme == "bearer")
    #expect(challenge.realm == "https://auth.example.io/token")
    #expect(challenge.service == "registry.example.io")
    #expect(challenge.scopes == ["repository:team/app:pull,push", "repository:base:pull"])
    #expect(challenge.parameters["error"] == "insufficient_scope")
  }

  @Test func basicChallengeWithEscapesAndUnquotedValues() throws {
    let challenge = try #require(
      AuthenticationChallenge(parsing: #"Basic realm="say \"hi\"", charset=UTF-8"#))
    #expect(challenge.scheme == "basic")
    #expect(challenge.realm == #"say "hi""#)
    #expect(challenge.parameters["charset"] == "UTF-8")
    #expect(AuthenticationChallenge(parsing: "   ") == nil)
  }

  @Test func registryErrorBodyInWords() {
    let body = Data(
      #"{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry","detail":"sha256:ab"},{"code":"DENIED","message":"no","detail":{"Type":"repository","Action":"push"}}]}"#
        .utf8)
    let errors = RegistryErrorDetail.decode(body)
    #expect(
      errors.map(\.description) == [
        "MANIFEST_BLOB_UNKNOWN: blob unknown to registry (sha256:ab)",
        #"DENIED: no ({"Action":"push","Type":"repository"})"#,
      ])
    #expect(RegistryErrorDetail.decode(Data("<html>".utf8)).isEmpty)
  }

  @Test func credentialsFromEnvironmentThenDockerConfig() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "registry-creds-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let auth = Data("alice:p@ss:word".utf8).base64EncodedString()
    try Data(
      #"{"auths":{"https://myacr.azurecr.io":{"auth":"\#(auth)"},"other.io":{"auth":"!!"},"id.io":{"auth":"PHRva2VuPjo=","identitytoken":"refresh-me"}}}"#
        .utf8
    ).write(to: directory.appendingPathComponent("config.json"))
    let fromFile = try await RegistryCredentialStore.authentication(
      for: "myacr.azurecr.io", environment: ["DOCKER_CONFIG": directory.path])
    #expect(fromFile == .basic(RegistryCredentials(username: "alice", password: "p@ss:word")))
    #expect(fromFile.description == "user alice")
    #expect(
      try await RegistryCredentialStore.authentication(
        for: "unknown.io", environment: ["DOCKER_CONFIG": directory.path]) == .anonymous)
    #expect(
      try await RegistryCredentialStore.authentication(
        for: "id.io", environment: ["DOCKER_CONFIG": directory.path])
        == .identityToken("refresh-me"))
    await #expect(throws: RegistryError.self) {
      try await RegistryCredentialStore.authentication(
        for: "other.io", environment: ["DOCKER_CONFIG": directory.path])
    }
    let fromEnvironment = try await RegistryCredentialStore.authentication(
      for: "myacr.azurecr.io",
      environment: [
        "DOCKER_CONFIG": directory.path, "TRIPGEN_REGISTRY_USERNAME": "sp-id",
        "TRIPGEN_REGISTRY_PASSWORD": "sp-secret",
      ])
    #expect(
      fromEnvironment == .basic(RegistryCredentials(username: "sp-id", password: "sp-secret")))
    // An Entra ID credential in the environment wins over the file for an ACR host only.
    let entra = try await RegistryCredentialStore.authentication(
      for: "myacr.azurecr.io",
      environment: ["DOCKER_CONFIG": directory.path, "AZURE_ACCESS_TOKEN": "aad-token"])
    #expect(entra == .entra(.accessToken("aad-token", tenantID: nil)))
    #expect(!entra.description.contains("aad-token"))
    #expect(
      try await RegistryCredentialStore.authentication(
        for: "other.example",
        environment: ["AZURE_ACCESS_TOKEN": "aad-token", "DOCKER_CONFIG": directory.path])
        == .anonymous)
  }

  @Test func plainHTTPOnlyForLoopbackAndInsecureHosts() {
    let configuration = RegistryClientConfiguration(insecureHosts: ["registry.lan:5000"])
    #expect(configuration.scheme(for: "localhost:5000") == "http")
    #expect(configuration.scheme(for: "127.0.0.1:5000") == "http")
    #expect(configuration.scheme(for: "127.3.2.1") == "http")
    #expect(configuration.scheme(for: "registry.lan:5000") == "http")
    #expect(configuration.scheme(for: "registry.lan:5001") == "https")
    #expect(configuration.scheme(for: "myacr.azurecr.io") == "https")
    #expect(configuration.scheme(for: "127.example.com") == "https")
  }
}
