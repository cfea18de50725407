import Blocking
import Foundation
import HTTP

/// Obtains Entra ID access tokens for ACR's exchange from an `EntraCredentialSource`, and keeps
/// each until shortly before it expires.
actor EntraTokenProvider {
  private let source: EntraCredentialSource
  private let http: HTTPClient
  private var cached: (value: String, expires: Date)?
  /// How many tokens were requested from Entra (tests check the cache with it).
  private(set) var requests = 0

  init(source: EntraCredentialSource, http: HTTPClient) {
    self.source = source
    self.http = http
  }

  /// An Entra access token, fresh or cached.
  func accessToken() async throws(RegistryError) -> String {
    if let cached, cached.expires > Date() { return cached.value }
    switch source {
    case .accessToken(let token, _):
      return token
    case .acrRefreshToken:
      throw .invalidEntraConfiguration(
        reason: "an az acr login --expose-token token is an ACR refresh token, not an Entra token")
    case .workloadIdentity(let identity):
      let file = identity.tokenFile
      // The file is rotated in place by the kubelet: read it at each request.
      let contents = await offPool { FileManager.default.contents(atPath: file) }
      guard let contents, !contents.isEmpty else {
        throw .invalidCredentialsFile(
          path: file,
          reason: "the federated token file (AZURE_FEDERATED_TOKEN_FILE) is missing or empty")
      }
      let assertion = String(decoding: contents, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      return try await clientCredentials(identity.application, assertion: assertion)
    case .gitHubActions(let oidc, let application):
      let assertion = try await gitHubToken(oidc)
      return try await clientCredentials(application, assertion: assertion)
    }
  }

  /// Forgets the cached token (after the exchange refused it).
  func invalidate() { cached = nil }

  /// The client-credentials grant with a federated assertion, at `{authority}/{tenant}/oauth2/v2.0/token`.
  private func clientCredentials(
    _ application: EntraCredentialSource.EntraApplication, assertion: String
  ) async throws(RegistryError) -> String {
    let endpoint = application.tokenEndpoint
    let request = OAuthForm.post(
      endpoint,
      [
        ("client_id", application.clientID),
        ("grant_type", "client_credentials"),
        ("scope", EntraCredentialSource.registryScope),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion),
      ])
    requests += 1
    let response = try await execute(request, operation: "requesting an Entra ID token")
    struct Answer: Decodable {
      var accessToken: String
      var expiresIn: Int?
      enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
      }
    }
    guard response.isSuccess,
      let answer = try? JSONDecoder().decode(Answer.self, from: response.body),
      !answer.accessToken.isEmpty
    else {
      throw .entraTokenFailed(
        step: "Entra ID token request", url: endpoint.absoluteString, status: response.status,
        detail: OAuthForm.failureDetail(response.body, secrets: [assertion]),
        hint: "check AZURE_CLIENT_ID and AZURE_TENANT_ID, and that the application has a "
          + "federated credential for this identity")
    }
    // Renew five minutes early: the token must outlive the exchange and the push.
    let lifetime = Double(answer.expiresIn ?? 600)
    cached = (answer.accessToken, Date().addingTimeInterval(max(lifetime - 300, lifetime / 2)))
    return answer.accessToken
  }

  /// GitHub's OIDC token for the Entra audience: `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=...`
  /// with the request token as Bearer.
  private func gitHubToken(_ oidc: EntraCredentialSource.GitHubActionsOIDC)
    async throws(RegistryError) -> String
  {
    guard var components = URLComponents(url: oidc.requestURL, resolvingAgainstBaseURL: false)
    else {
      throw .invalidEntraConfiguration(reason: "ACTIONS_ID_TOKEN_REQUEST_URL is not a URL")
    }
    var items = components.queryItems ?? []
    items.append(URLQueryItem(name: "audience", value: EntraCredentialSource.gitHubAudience))
    components.queryItems = items
    // `:` and `/` are allowed in a query, but the audience is one value: escape them as
    // GitHub's toolkit does.
    components.percentEncodedQuery = components.percentEncodedQuery?
      .replacingOccurrences(
        of: "api://AzureADTokenExchange", with: "api%3A%2F%2FAzureADTokenExchange")
    guard let url = components.url else {
      throw .invalidEntraConfiguration(reason: "ACTIONS_ID_TOKEN_REQUEST_URL is not a URL")
    }
    var request = HTTPRequest(method: .get, url: url)
    request.headers.set("Authorization", "bearer \(oidc.requestToken)")
    request.headers.set("Accept", "application/json")
    let response = try await execute(request, operation: "requesting a GitHub Actions OIDC token")
    struct Answer: Decodable { var value: String }
    guard response.isSuccess,
      let answer = try? JSONDecoder().decode(Answer.self, from: response.body),
      !answer.value.isEmpty
    else {
      throw .entraTokenFailed(
        step: "GitHub Actions OIDC token request",
        url: oidc.requestURL.absoluteString.components(separatedBy: "?")[0],
        status: response.status,
        detail: OAuthForm.failureDetail(response.body, secrets: [oidc.requestToken]),
        hint: "the workflow job needs `permissions: id-token: write`")
    }
    return answer.value
  }

  private func execute(_ request: HTTPRequest, operation: String) async throws(RegistryError)
    -> HTTPResponse
  {
    do {
      return try await http.execute(request)
    } catch let error as HTTPError {
      throw .transfer(operation: operation, cause: error)
    } catch {
      throw .transfer(operation: operation, cause: .cancelled(url: request.url.absoluteString))
    }
  }
}
