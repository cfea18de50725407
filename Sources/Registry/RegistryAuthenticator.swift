import Foundation
import HTTP

/// The authentication state for one registry: the challenge `GET /v2/` (or a 401) presented, and
/// the Bearer tokens obtained so far, cached per scope set until they expire.
///
/// How a Bearer token is obtained depends on the authentication:
/// - anonymous or a user and password: `GET realm?service=&scope=` (with Basic credentials when
///   there are any), as the distribution token specification describes;
/// - a refresh (identity) token: `POST realm` with `grant_type=refresh_token`, as its OAuth 2
///   variant describes and ACR implements;
/// - an Entra ID identity: first ACR's `POST /oauth2/exchange` (on the realm's host) with
///   `grant_type=access_token` and the Entra token, which returns a refresh token; then as above.
///   The refresh token is kept until it expires and fetched again once if the token service
///   refuses it.
actor RegistryAuthenticator {
  private struct Token: Sendable {
    var value: String
    var expires: Date
  }

  let registry: String
  private let authentication: RegistryAuthentication
  private let http: HTTPClient
  private let entra: EntraTokenProvider?
  private var challenge: AuthenticationChallenge?
  private var tokens: [String: Token] = [:]
  private var refreshToken: Token?
  private var pendingTokens: [String: Task<Token, any Error>] = [:]
  private var pendingRefreshToken: Task<Token, any Error>?
  /// How many token requests were made (tests check the cache with it).
  private(set) var tokenRequests = 0
  /// How many refresh tokens ACR's exchange issued.
  private(set) var exchanges = 0

  init(registry: String, authentication: RegistryAuthentication, http: HTTPClient) {
    self.registry = registry
    self.authentication = authentication
    self.http = http
    if case .entra(let source) = authentication, case .acrRefreshToken = source {
      entra = nil
    } else if case .entra(let source) = authentication {
      entra = EntraTokenProvider(source: source, http: http)
    } else {
      entra = nil
    }
  }

  /// Remembers the challenge a 401 carried.
  func learn(_ challenge: AuthenticationChallenge) { self.challenge = challenge }

  /// The `Authorization` value for a request needing `scopes`, fetching a token when the
  /// registry wants Bearer and none is cached; nil before any challenge was seen.
  func authorization(for scopes: [String], refresh: Bool = false) async throws(RegistryError)
    -> String?
  {
    guard let challenge else { return nil }
    switch challenge.scheme {
    case "basic":
      switch authentication {
      case .anonymous: return nil
      case .basic(let credentials): return credentials.basicAuthorization
      case .identityToken, .entra:
        // ACR also takes its refresh token as the password of a fixed user name.
        let token = try await currentRefreshToken(challenge: challenge, renew: refresh)
        return RegistryCredentials(
          username: RegistryAuthentication.refreshTokenUsername, password: token
        ).basicAuthorization
      }
    case "bearer":
      let wanted = Array(Set(scopes + challenge.scopes)).sorted()
      let key = wanted.joined(separator: " ")
      if !refresh, let token = tokens[key], token.expires > Date() {
        return "Bearer \(token.value)"
      }
      // Parallel blob uploads ask for the same scopes at once: one request serves them all.
      if let inFlight = pendingTokens[key] {
        return "Bearer \(try await Self.result(of: inFlight).value)"
      }
      let task = Task {
        try await self.requestToken(challenge: challenge, scopes: wanted, renew: refresh)
      }
      pendingTokens[key] = task
      defer { pendingTokens[key] = nil }
      let token = try await Self.result(of: task)
      tokens[key] = token
      return "Bearer \(token.value)"
    default:
      throw .invalidChallenge(registry: registry, challenge: challenge.scheme)
    }
  }

  private func requestToken(
    challenge: AuthenticationChallenge, scopes: [String], renew: Bool
  ) async throws(RegistryError) -> Token {
    guard let realm = challenge.realm, let realmURL = URL(string: realm), realmURL.host != nil
    else {
      throw .invalidChallenge(registry: registry, challenge: "Bearer without a usable realm")
    }
    switch authentication {
    case .anonymous, .basic:
      return try await requestTokenWithGET(realm: realm, challenge: challenge, scopes: scopes)
    case .identityToken, .entra:
      let refreshToken = try await currentRefreshToken(challenge: challenge, renew: renew)
      do {
        return try await requestTokenWithRefreshToken(
          refreshToken, realm: realmURL, challenge: challenge, scopes: scopes)
      } catch .tokenRequestFailed(_, let status, _) where status == 401 && entra != nil && !renew {
        // The refresh token expired or was revoked early: exchange a new one, once.
        let renewed = try await currentRefreshToken(challenge: challenge, renew: true)
        return try await requestTokenWithRefreshToken(
          renewed, realm: realmURL, challenge: challenge, scopes: scopes)
      }
    }
  }

  /// GET the realm with `service` and `scope` parameters, with basic credentials when there are
  /// any (anonymously otherwise), as the distribution token specification describes.
  private func requestTokenWithGET(
    realm: String, challenge: AuthenticationChallenge, scopes: [String]
  ) async throws(RegistryError) -> Token {
    guard var components = URLComponents(string: realm) else {
      throw .invalidChallenge(registry: registry, challenge: "Bearer realm \(realm)")
    }
    var items = components.queryItems ?? []
    if let service = challenge.service {
      items.append(URLQueryItem(name: "service", value: service))
    }
    for scope in scopes { items.append(URLQueryItem(name: "scope", value: scope)) }
    components.queryItems = items
    guard let url = components.url else {
      throw .invalidChallenge(registry: registry, challenge: "Bearer realm \(realm)")
    }
    var headers = HTTPHeaders()
    if case .basic(let credentials) = authentication {
      headers.add("Authorization", credentials.basicAuthorization)
    }
    let response = try await execute(
      HTTPRequest(method: .get, url: url, headers: headers), realm: realm)
    return try token(from: response, realm: realm, secrets: [])
  }

  /// `POST realm` with `grant_type=refresh_token`: the OAuth 2 form of the token request.
  private func requestTokenWithRefreshToken(
    _ refreshToken: String, realm: URL, challenge: AuthenticationChallenge, scopes: [String]
  ) async throws(RegistryError) -> Token {
    var fields = [
      ("grant_type", "refresh_token"), ("service", challenge.service ?? registry),
    ]
    // ACR takes the scopes space-separated in one field; the specification allows that too.
    if !scopes.isEmpty { fields.append(("scope", scopes.joined(separator: " "))) }
    fields += [("refresh_token", refreshToken), ("client_id", "tripgen")]
    let response = try await execute(
      OAuthForm.post(realm, fields), realm: realm.absoluteString)
    return try token(from: response, realm: realm.absoluteString, secrets: [refreshToken])
  }

  /// The refresh token to trade for access tokens: the identity token as given, or one from
  /// ACR's exchange (cached until it expires; `renew` exchanges again).
  private func currentRefreshToken(challenge: AuthenticationChallenge, renew: Bool)
    async throws(RegistryError) -> String
  {
    switch authentication {
    case .identityToken(let token):
      return token
    case .entra(.acrRefreshToken(let token)):
      return token
    case .entra(let source):
      if !renew, let refreshToken, refreshToken.expires > Date() { return refreshToken.value }
      if let inFlight = pendingRefreshToken { return try await Self.result(of: inFlight).value }
      guard let entra else {
        throw .invalidEntraConfiguration(reason: "no Entra ID token provider")
      }
      let task = Task {
        if renew { await entra.invalidate() }
        let accessToken = try await entra.accessToken()
        return try await self.exchange(accessToken, tenant: source.tenantID, challenge: challenge)
      }
      pendingRefreshToken = task
      defer { pendingRefreshToken = nil }
      let exchanged = try await Self.result(of: task)
      refreshToken = exchanged
      return exchanged.value
    case .anonymous, .basic:
      throw .invalidEntraConfiguration(reason: "no refresh token without an Entra ID identity")
    }
  }

  /// ACR's `POST /oauth2/exchange` on the realm's host (the registry's own, for ACR): an Entra
  /// access token in, an ACR refresh token out.
  private func exchange(
    _ accessToken: String, tenant: String?, challenge: AuthenticationChallenge
  ) async throws(RegistryError) -> Token {
    let base =
      challenge.realm.flatMap(URL.init(string:))
      ?? URL(string: "https://\(registry)/oauth2/token")!
    guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else {
      throw .invalidChallenge(registry: registry, challenge: "Bearer realm \(base)")
    }
    components.path = "/oauth2/exchange"
    components.query = nil
    let url = components.url!
    var fields = [("grant_type", "access_token"), ("service", challenge.service ?? registry)]
    if let tenant { fields.append(("tenant", tenant)) }
    fields.append(("access_token", accessToken))
    let response = try await execute(OAuthForm.post(url, fields), realm: url.absoluteString)
    struct Answer: Decodable {
      var refreshToken: String
      enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
    }
    guard response.isSuccess,
      let answer = try? JSONDecoder().decode(Answer.self, from: response.body),
      !answer.refreshToken.isEmpty
    else {
      throw .tokenRequestFailed(
        realm: url.absoluteString, status: response.status,
        detail: OAuthForm.failureDetail(response.body, secrets: [accessToken]))
    }
    exchanges += 1
    // ACR's refresh tokens live about three hours; renew a minute early. Without `exp`, an
    // hour is a safe guess (a refused one is exchanged again anyway).
    let expires =
      OAuthForm.expiry(ofJWT: answer.refreshToken)?.addingTimeInterval(-60)
      ?? Date().addingTimeInterval(3600)
    return Token(value: answer.refreshToken, expires: expires)
  }

  /// A shared token request's outcome, with its error typed again.
  private static func result(of task: Task<Token, any Error>) async throws(RegistryError) -> Token {
    do {
      return try await task.value
    } catch let error as RegistryError {
      throw error
    } catch {
      throw .transfer(operation: "requesting a token", cause: .cancelled(url: "token service"))
    }
  }

  private func execute(_ request: HTTPRequest, realm: String) async throws(RegistryError)
    -> HTTPResponse
  {
    tokenRequests += 1
    do {
      return try await http.execute(request)
    } catch let error as HTTPError {
      throw error.rootCause.isConnectionError
        ? .unreachable(registry: "\(realm) (token service of \(registry))", cause: error)
        : .transfer(operation: "requesting a token from \(realm)", cause: error)
    } catch {
      throw .transfer(operation: "requesting a token from \(realm)", cause: .cancelled(url: realm))
    }
  }

  /// The token in a token service's answer (`token` or `access_token`), with its lifetime from
  /// `expires_in`, else the JWT's `exp`, else the specification's default of 60 s.
  private func token(from response: HTTPResponse, realm: String, secrets: [String])
    throws(RegistryError) -> Token
  {
    guard response.isSuccess else {
      throw .tokenRequestFailed(
        realm: realm, status: response.status,
        detail: OAuthForm.failureDetail(response.body, secrets: secrets))
    }
    struct Answer: Decodable {
      var token: String?
      var accessToken: String?
      var expiresIn: Int?
      enum CodingKeys: String, CodingKey {
        case token
        case accessToken = "access_token"
        case expiresIn = "expires_in"
      }
    }
    guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body),
      let value = answer.token ?? answer.accessToken, !value.isEmpty
    else {
      throw .tokenRequestFailed(
        realm: realm, status: response.status, detail: "no token in the answer")
    }
    // Renew a little early so a token does not expire between the check and the request.
    if let expiresIn = answer.expiresIn {
      return Token(value: value, expires: Date().addingTimeInterval(Double(max(expiresIn, 10) - 5)))
    }
    if let expiry = OAuthForm.expiry(ofJWT: value) {
      return Token(value: value, expires: expiry.addingTimeInterval(-5))
    }
    return Token(value: value, expires: Date().addingTimeInterval(55))
  }
}
