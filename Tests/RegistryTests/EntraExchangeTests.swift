import Foundation
import OCI
import Registry
import Synchronization
import TestSupport
import Testing

/// ACR's Entra ID flow, end to end: an in-process `TestHTTPServer` plays GitHub's OIDC token
/// service, Entra ID's token endpoint and ACR's `/oauth2/exchange` and `/oauth2/token`, checking
/// every form field; ACR's access tokens are real JWTs that a real docker-registry, configured for
/// token auth with this server as its realm, accepts for the push.
@Suite struct EntraExchangeTests {
  static let service = "tripgen-test-acr"
  static let clientID = "11111111-2222-3333-4444-555555555555"
  static let tenantID = "66666666-7777-8888-9999-000000000000"
  static let gitHubRequestToken = "gh-request-token-SECRET"
  static let gitHubIDToken = "gh-oidc-id-token-SECRET"
  static let federatedToken = "aks-federated-token-SECRET"
  static let entraToken = "entra-access-token-SECRET"

  let server: TestHTTPServer
  let issuer: RegistryTokenIssuer
  let registry: RegistryServer
  let scratch: TemporaryDirectory
  /// The ACR refresh token the exchange hands out: JWT-shaped, with an `exp` three hours ahead.
  let refreshToken: String
  /// Pre-signed registry tokens, by the scope field of the token request ("" for none).
  let accessTokens: [String: String]

  init() throws {
    server = try TestHTTPServer()
    issuer = try RegistryTokenIssuer()
    registry = try RegistryServer(
      tokenAuthentication: RegistryServer.TokenAuthentication(
        realm: "http://127.0.0.1:\(server.port)/oauth2/token", service: Self.service,
        issuer: issuer))
    scratch = try TemporaryDirectory(prefix: "entra")
    let payload = try JSONSerialization.data(
      withJSONObject: [
        "exp": Int(Date().timeIntervalSince1970) + 3 * 3600, "tenant": Self.tenantID,
      ])
    refreshToken = "eyJhbGciOiJub25lIn0." + Self.base64URL(payload) + ".acr-refresh-SECRET"
    var tokens: [String: String] = [:]
    tokens[""] = try issuer.token(service: Self.service, access: [])
    for repository in ["team/acr"] {
      tokens["repository:\(repository):pull,push"] = try issuer.token(
        service: Self.service, access: [.init(name: repository, actions: ["pull", "push"])])
      tokens["repository:\(repository):pull"] = try issuer.token(
        service: Self.service, access: [.init(name: repository, actions: ["pull"])])
    }
    accessTokens = tokens
    routeTokenServices()
  }

  /// The four endpoints. Each answers only a request whose fields are exactly the expected ones;
  /// anything else gets a 400 that echoes the request (as a careless server might), so that the
  /// tests also see that no secret reaches an error message.
  func routeTokenServices() {
    let refreshToken = refreshToken
    let accessTokens = accessTokens
    @Sendable func refuse(_ request: TestHTTPServer.Request, _ why: String)
      -> TestHTTPServer.Response
    {
      .text(
        #"{"error":"invalid_request","error_description":"\#(why); got \#(request.query ?? "") \#(request.bodyText) \#(request.header("Authorization") ?? "")"}"#,
        status: 400)
    }
    server.route("GET", "/github/oidc") { request in
      guard request.query == "api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange",
        request.header("Authorization") == "bearer \(Self.gitHubRequestToken)"
      else { return refuse(request, "bad OIDC request") }
      return .text(#"{"count":1,"value":"\#(Self.gitHubIDToken)"}"#)
    }
    server.route("POST", "/\(Self.tenantID)/oauth2/v2.0/token") { request in
      let form = Self.form(request)
      var expected = [
        "client_id": Self.clientID, "grant_type": "client_credentials",
        "scope": "https://containerregistry.azure.net/.default",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      ]
      guard let assertion = form["client_assertion"],
        [Self.gitHubIDToken, Self.federatedToken].contains(assertion)
      else { return refuse(request, "bad assertion") }
      expected["client_assertion"] = assertion
      guard form == expected,
        request.header("Content-Type") == "application/x-www-form-urlencoded"
      else { return refuse(request, "bad Entra form") }
      return .text(
        #"{"token_type":"Bearer","expires_in":3599,"access_token":"\#(Self.entraToken)"}"#)
    }
    server.route("POST", "/oauth2/exchange") { request in
      let expected = [
        "grant_type": "access_token", "service": Self.service, "tenant": Self.tenantID,
        "access_token": Self.entraToken,
      ]
      guard Self.form(request) == expected else { return refuse(request, "bad exchange form") }
      return .text(#"{"refresh_token":"\#(refreshToken)"}"#)
    }
    server.route("POST", "/oauth2/token") { request in
      var form = Self.form(request)
      let scope = form.removeValue(forKey: "scope") ?? ""
      let expected = [
        "grant_type": "refresh_token", "service": Self.service, "refresh_token": refreshToken,
        "client_id": "tripgen",
      ]
      guard form == expected, let token = accessTokens[scope] else {
        return refuse(request, "bad token form")
      }
      return .text(#"{"access_token":"\#(token)"}"#)
    }
  }

  static func form(_ request: TestHTTPServer.Request) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in request.bodyText.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2 else { continue }
      func decode(_ text: Substring) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
      }
      fields[decode(parts[0])] = decode(parts[1])
    }
    return fields
  }

  static func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  var application: EntraCredentialSource.EntraApplication {
    EntraCredentialSource.EntraApplication(
      clientID: Self.clientID, tenantID: Self.tenantID, authorityHost: server.url("/"))
  }

  func client(_ authentication: RegistryAuthentication) -> RegistryClient {
    RegistryClient(
      registry: registry.host,
      configuration: RegistryClientConfiguration(authentication: authentication))
  }

  func requests(_ path: String) -> [TestHTTPServer.Request] {
    server.requests.filter { $0.path == path }
  }

  @Test func gitHubActionsOIDCThroughEntraAndACRExchangeIsAcceptedByTheRegistry() async throws {
    let manifest = try TestImages.write(to: scratch.path + "/layout")
    let source = EntraCredentialSource.gitHubActions(
      .init(
        requestURL: server.url("/github/oidc?api-version=2.0"),
        requestToken: Self.gitHubRequestToken),
      application: application)
    let client = client(.entra(source))
    let report = try await ImagePusher(client: client).push(
      LayoutReference(path: scratch.path + "/layout", tag: "v1"), to: "team/acr", tags: ["v1"])
    #expect(report.manifestDigest == manifest.digest.description)
    #expect(
      try await client.manifestDigest(repository: "team/acr", reference: "v1") == manifest.digest)

    // Every step answered (a refused one would have failed the push), once each: the Entra token
    // and the refresh token are cached; only the access tokens differ per scope.
    #expect(requests("/github/oidc").count == 1)
    #expect(requests("/\(Self.tenantID)/oauth2/v2.0/token").count == 1)
    #expect(requests("/oauth2/exchange").count == 1)
    #expect(await client.tokenExchangeCount == 1)
    let scopes = requests("/oauth2/token").map { Self.form($0)["scope"] ?? "" }
    #expect(Set(scopes) == ["", "repository:team/acr:pull,push", "repository:team/acr:pull"])
    #expect(scopes.count == 3)
    #expect(requests("/oauth2/token").allSatisfy { $0.header("Authorization") == nil })
  }

  @Test func workloadIdentityTokenFileIsTheAssertion() async throws {
    try TestImages.write(to: scratch.path + "/layout")
    let tokenFile = scratch.file("azure-identity-token")
    try Data((Self.federatedToken + "\n").utf8).write(to: tokenFile)
    let source = try #require(
      try EntraCredentialSource.fromEnvironment([
        "AZURE_FEDERATED_TOKEN_FILE": tokenFile.path, "AZURE_CLIENT_ID": Self.clientID,
        "AZURE_TENANT_ID": Self.tenantID, "AZURE_AUTHORITY_HOST": server.url("/").absoluteString,
      ]))
    #expect(source == .workloadIdentity(.init(tokenFile: tokenFile.path, application: application)))
    _ = try await ImagePusher(client: client(.entra(source))).push(
      LayoutReference(path: scratch.path + "/layout", tag: "v1"), to: "team/acr", tags: ["wi"])
    let entra = requests("/\(Self.tenantID)/oauth2/v2.0/token")
    #expect(entra.count == 1)
    #expect(Self.form(entra[0])["client_assertion"] == Self.federatedToken)
    #expect(requests("/github/oidc").isEmpty)
  }

  @Test func azAcrLoginExposeTokenSkipsTheExchange() async throws {
    try TestImages.write(to: scratch.path + "/layout")
    let file = scratch.file("acr-token.json")
    try Data(#"{"accessToken":"\#(refreshToken)","loginServer":"tripgendev.azurecr.io"}"#.utf8)
      .write(to: file)
    let source = try #require(
      try EntraCredentialSource.fromEnvironment(["TRIPGEN_ACR_TOKEN_FILE": file.path]))
    #expect(source == .acrRefreshToken(refreshToken))
    let client = client(.entra(source))
    _ = try await ImagePusher(client: client).push(
      LayoutReference(path: scratch.path + "/layout", tag: "v1"), to: "team/acr", tags: ["az"])
    #expect(requests("/oauth2/exchange").isEmpty)
    #expect(await client.tokenExchangeCount == 0)
    #expect(!requests("/oauth2/token").isEmpty)
  }

  @Test func explicitEntraTokenFromTheEnvironment() async throws {
    try TestImages.write(to: scratch.path + "/layout")
    let authentication = try await RegistryCredentialStore.authentication(
      for: registry.host,
      environment: [
        "TRIPGEN_REGISTRY_AUTH": "entra", "AZURE_ACCESS_TOKEN": Self.entraToken,
        "AZURE_TENANT_ID": Self.tenantID, "HOME": scratch.path,
      ])
    #expect(authentication == .entra(.accessToken(Self.entraToken, tenantID: Self.tenantID)))
    _ = try await ImagePusher(client: client(authentication)).push(
      LayoutReference(path: scratch.path + "/layout", tag: "v1"), to: "team/acr", tags: ["env"])
    #expect(requests("/oauth2/exchange").count == 1)
    #expect(requests("/\(Self.tenantID)/oauth2/v2.0/token").isEmpty)
  }

  /// The CLI with a workload identity from the environment: the push succeeds, and neither the
  /// federated token nor any token it was exchanged for shows in its output.
  @Test func tripgenPushWithWorkloadIdentityKeepsTokensOutOfItsOutput() async throws {
    let manifest = try TestImages.write(to: scratch.path + "/layout")
    let tokenFile = scratch.file("federated-token")
    try Data(Self.federatedToken.utf8).write(to: tokenFile)
    let result = try await tripgen(
      [
        "image", "push", "oci:\(scratch.path)/layout:v1", "\(registry.host)/team/acr:cli",
        "--output", "json",
      ],
      environment: [
        "TRIPGEN_REGISTRY_AUTH": "entra", "TRIPGEN_REGISTRY_USERNAME": "", "CI": "true",
        "AZURE_ACCESS_TOKEN": "", "TRIPGEN_ACR_TOKEN_FILE": "", "ACTIONS_ID_TOKEN_REQUEST_URL": "",
        "AZURE_FEDERATED_TOKEN_FILE": tokenFile.path, "AZURE_CLIENT_ID": Self.clientID,
        "AZURE_TENANT_ID": Self.tenantID, "AZURE_AUTHORITY_HOST": server.url("/").absoluteString,
      ])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.contains(manifest.digest.description))
    #expect(result.standardError.contains("Entra ID (workload identity \(Self.clientID)"))
    let output = result.standardOutput + result.standardError
    for secret in [Self.federatedToken, Self.entraToken, refreshToken, "SECRET"]
      + Array(accessTokens.values)
    {
      #expect(!output.contains(secret))
    }
  }

  /// Each step refused in turn (the fake server echoes what it got): the error names the step
  /// and the server's reason, and holds none of the secrets.
  @Test func refusalsAreExplainedWithoutSecrets() async throws {
    let secrets = [
      Self.gitHubRequestToken, Self.gitHubIDToken, Self.entraToken, refreshToken,
      Self.federatedToken, "SECRET",
    ]
    func failure(_ source: EntraCredentialSource) async -> String {
      do {
        try await client(.entra(source)).ping()
        return ""
      } catch { return error.description }
    }

    // GitHub refuses: the request token is wrong.
    let wrongGitHub = await failure(
      .gitHubActions(
        .init(
          requestURL: server.url("/github/oidc?api-version=2.0"),
          requestToken: "wrong-request-token-SECRET"),
        application: application))
    #expect(wrongGitHub.contains("GitHub Actions OIDC token request"))
    #expect(wrongGitHub.contains("HTTP 400"))
    #expect(wrongGitHub.contains("id-token: write"))

    // Entra refuses: another client id.
    let otherApplication = EntraCredentialSource.EntraApplication(
      clientID: "someone-else", tenantID: Self.tenantID, authorityHost: server.url("/"))
    let tokenFile = scratch.file("token")
    try? Data(Self.federatedToken.utf8).write(to: tokenFile)
    let wrongClient = await failure(
      .workloadIdentity(.init(tokenFile: tokenFile.path, application: otherApplication)))
    #expect(
      wrongClient.contains(
        "Entra ID token request to http://127.0.0.1:\(server.port)/\(Self.tenantID)/oauth2/v2.0/token answered HTTP 400"
      ))
    #expect(wrongClient.contains("invalid_request: bad Entra form"))

    // ACR's exchange refuses: an Entra token it does not know.
    let wrongToken = await failure(
      .accessToken("unknown-entra-token-SECRET", tenantID: Self.tenantID))
    #expect(wrongToken.contains("/oauth2/exchange answered HTTP 400"))

    // ACR's token endpoint refuses the refresh token.
    let wrongRefresh = await failure(.acrRefreshToken("stale-refresh-token-SECRET"))
    #expect(wrongRefresh.contains("/oauth2/token answered HTTP 400"))

    for text in [wrongGitHub, wrongClient, wrongToken, wrongRefresh] {
      #expect(!text.isEmpty)
      for secret in secrets + ["wrong-request-token", "unknown-entra-token", "stale-refresh-token"]
      {
        #expect(!text.contains(secret), "\(secret) leaked into: \(text)")
      }
    }
  }

  @Test func environmentSourcesInOrderAndIncompleteOnesNamed() throws {
    #expect(try EntraCredentialSource.fromEnvironment([:]) == nil)
    #expect(
      try EntraCredentialSource.fromEnvironment([
        "AZURE_ACCESS_TOKEN": "t", "ACTIONS_ID_TOKEN_REQUEST_URL": "https://gh/x",
      ]) == .accessToken("t", tenantID: nil))
    let gitHub = try EntraCredentialSource.fromEnvironment([
      "ACTIONS_ID_TOKEN_REQUEST_URL": "https://gh.example/token?api-version=2.0",
      "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "r", "AZURE_CLIENT_ID": "c", "AZURE_TENANT_ID": "t",
    ])
    #expect(
      gitHub
        == .gitHubActions(
          .init(
            requestURL: URL(string: "https://gh.example/token?api-version=2.0")!, requestToken: "r"),
          application: .init(clientID: "c", tenantID: "t")))
    #expect(
      EntraCredentialSource.EntraApplication(clientID: "c", tenantID: "t").tokenEndpoint
        .absoluteString == "https://login.microsoftonline.com/t/oauth2/v2.0/token")
    let missing = #expect(throws: RegistryError.self) {
      try EntraCredentialSource.fromEnvironment([
        "AZURE_FEDERATED_TOKEN_FILE": "/x", "AZURE_TENANT_ID": "t",
      ])
    }
    #expect(
      missing?.description.contains("AZURE_FEDERATED_TOKEN_FILE is set but AZURE_CLIENT_ID is not")
        == true)
    let file = scratch.file("bad.json")
    try Data("{}".utf8).write(to: file)
    let bad = #expect(throws: RegistryError.self) {
      try EntraCredentialSource.fromEnvironment(["TRIPGEN_ACR_TOKEN_FILE": file.path])
    }
    #expect(bad?.description.contains("--expose-token") == true)
  }
}
