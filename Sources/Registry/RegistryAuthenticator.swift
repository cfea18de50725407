import Foundation
import HTTP

/// The authentication state for one registry: the challenge `GET /v2/` (or a 401) presented, and
/// the Bearer tokens obtained so far, cached per scope set until they expire.
actor RegistryAuthenticator {
  private struct Token {
    var value: String
    var expires: ContinuousClock.Instant
  }

  let registry: String
  private let credentials: RegistryCredentials?
  private let http: HTTPClient
  private var challenge: AuthenticationChallenge?
  private var tokens: [String: Token] = [:]
  /// How many token requests were made (tests check the cache with it).
  private(set) var tokenRequests = 0

  init(registry: String, credentials: RegistryCredentials?, http: HTTPClient) {
    self.registry = registry
    self.credentials = credentials
    self.http = http
  }

  var username: String? { credentials?.username }

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
      return credentials?.basicAuthorization
    case "bearer":
      let wanted = Array(Set(scopes + challenge.scopes)).sorted()
      let key = wanted.joined(separator: " ")
      if !refresh, let token = tokens[key], token.expires > .now { return "Bearer \(token.value)" }
      let token = try await requestToken(challenge: challenge, scopes: wanted)
      tokens[key] = token
      return "Bearer \(token.value)"
    default:
      throw .invalidChallenge(registry: registry, challenge: challenge.scheme)
    }
  }

  /// GET the realm with `service` and `scope` parameters, with basic credentials when there are
  /// any (anonymously otherwise), as the distribution token specification describes.
  private func requestToken(challenge: AuthenticationChallenge, scopes: [String])
    async throws(RegistryError) -> Token
  {
    guard let realm = challenge.realm, var components = URLComponents(string: realm) else {
      throw .invalidChallenge(registry: registry, challenge: "Bearer without a usable realm")
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
    if let credentials { headers.add("Authorization", credentials.basicAuthorization) }
    tokenRequests += 1
    let response: HTTPResponse
    do {
      response = try await http.execute(HTTPRequest(method: .get, url: url, headers: headers))
    } catch let error as HTTPError {
      throw error.rootCause.isConnectionError
        ? .unreachable(registry: "\(realm) (token service of \(registry))", cause: error)
        : .transfer(operation: "requesting a token from \(realm)", cause: error)
    } catch {
      throw .transfer(operation: "requesting a token from \(realm)", cause: .cancelled(url: realm))
    }
    guard response.isSuccess else {
      let errors = RegistryErrorDetail.decode(response.body)
      throw .tokenRequestFailed(
        realm: realm, status: response.status,
        detail: errors.map(\.description).joined(separator: "; "))
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
    // The specification's default lifetime is 60 s; renew a little early so a token does not
    // expire between the check and the request.
    let lifetime = max(answer.expiresIn ?? 60, 10)
    return Token(value: value, expires: .now + .seconds(lifetime - 5))
  }
}
