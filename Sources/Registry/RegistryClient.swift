import Foundation
import HTTP

/// A client of one registry's distribution API (`/v2/`): authentication, blobs and manifests.
///
/// The first request learns how the registry wants to be authenticated from its
/// `WWW-Authenticate` challenge (Basic, or Bearer tokens from a token service); later requests
/// carry credentials up front, and a 401 refreshes the token once before giving up.
public final class RegistryClient: Sendable {
  /// `host[:port]`, as in image references.
  public let registry: String
  public let configuration: RegistryClientConfiguration
  /// `scheme://registry`.
  public let baseURL: URL
  let http: HTTPClient
  let authenticator: RegistryAuthenticator

  public init(registry: String, configuration: RegistryClientConfiguration = .init()) {
    self.registry = registry
    self.configuration = configuration
    // Docker Hub's references say docker.io; its API answers at registry-1.docker.io.
    let apiHost = registry == "docker.io" ? "registry-1.docker.io" : registry
    baseURL = URL(string: "\(configuration.scheme(for: registry))://\(apiHost)")!
    http = HTTPClient(configuration: configuration.http)
    authenticator = RegistryAuthenticator(
      registry: registry, authentication: configuration.authentication, http: http)
  }

  /// How many token requests went to the token service so far.
  public var tokenRequestCount: Int { get async { await authenticator.tokenRequests } }

  /// How many refresh tokens ACR's `/oauth2/exchange` issued to this client so far.
  public var tokenExchangeCount: Int { get async { await authenticator.exchanges } }

  /// `GET /v2/`: checks that the registry answers and learns its authentication challenge.
  public func ping() async throws(RegistryError) {
    let response = try await send(
      HTTPRequest(method: .get, url: url("/v2/")), scopes: [], operation: "GET /v2/")
    guard response.isSuccess else {
      throw unexpected(response, operation: "checking the registry API (GET /v2/)")
    }
  }

  func url(_ path: String) -> URL { URL(string: baseURL.absoluteString + path)! }

  /// Sends `request` with the authorization `scopes` call for; on a 401, learns the challenge,
  /// authenticates and sends it once more.
  func send(
    _ request: HTTPRequest, scopes: [String], operation: String,
    to destination: HTTPResponseBodyDestination = .memory, progress: HTTPProgressHandler? = nil
  ) async throws(RegistryError) -> HTTPResponse {
    var request = request
    if let authorization = try await authenticator.authorization(for: scopes) {
      request.headers.set("Authorization", authorization)
    }
    var response = try await execute(
      request, operation: operation, to: destination, progress: progress)
    guard response.status == 401 else { return response }
    let sentCredentials = request.headers.contains("Authorization")
    guard let header = response.headers["WWW-Authenticate"],
      let challenge = AuthenticationChallenge(parsing: header)
    else { throw authenticationFailure(response) }
    if challenge.scheme == "bearer", challenge.parameters["error"] == "insufficient_scope" {
      throw denied(response, scopes: scopes)
    }
    // Basic credentials that were sent and refused will be refused again.
    if sentCredentials && challenge.scheme == "basic" { throw authenticationFailure(response) }
    if challenge.scheme == "basic", case .anonymous = configuration.authentication {
      throw authenticationFailure(response)
    }
    await authenticator.learn(challenge)
    guard
      let authorization = try await authenticator.authorization(
        for: scopes, refresh: sentCredentials)
    else { throw authenticationFailure(response) }
    request.headers.set("Authorization", authorization)
    response = try await execute(
      request, operation: operation, to: destination, progress: progress)
    if response.status == 401 {
      let again = response.headers["WWW-Authenticate"].flatMap(AuthenticationChallenge.init)
      if again?.parameters["error"] == "insufficient_scope" {
        throw denied(response, scopes: scopes)
      }
      throw authenticationFailure(response)
    }
    return response
  }

  private func execute(
    _ request: HTTPRequest, operation: String, to destination: HTTPResponseBodyDestination,
    progress: HTTPProgressHandler?
  ) async throws(RegistryError) -> HTTPResponse {
    do {
      return try await http.execute(request, to: destination, progress: progress)
    } catch let error as HTTPError {
      // Not connecting at all means the registry is down or misnamed; a connection that broke
      // mid-transfer is the operation's failure (a chunked upload resumes after it).
      switch error.rootCause {
      case .hostNotFound, .connectFailed, .timedOut(.connect, _, _):
        throw .unreachable(registry: registry, cause: error)
      default:
        throw .transfer(operation: operation, cause: error)
      }
    } catch {
      throw .transfer(
        operation: operation, cause: .cancelled(url: request.url.absoluteString))
    }
  }

  private func authenticationFailure(_ response: HTTPResponse) -> RegistryError {
    let errors = RegistryErrorDetail.decode(response.body)
    let detail =
      errors.isEmpty
      ? "HTTP 401 from \(response.url.absoluteString)"
      : errors.map(\.description).joined(separator: "; ")
    switch configuration.authentication {
    case .anonymous:
      return .authenticationFailed(registry: registry, username: nil, detail: detail)
    case .basic(let credentials):
      return .authenticationFailed(
        registry: registry, username: credentials.username,
        detail: detail + " (check the user name and password)")
    case .identityToken, .entra:
      return .authenticationFailed(
        registry: registry, username: configuration.authentication.description,
        detail: detail + " (check that the identity has a role on the registry, such as AcrPush)")
    }
  }

  private func denied(_ response: HTTPResponse, scopes: [String]) -> RegistryError {
    let scope = scopes.first { $0.hasSuffix("push") } ?? scopes.first ?? ""
    let parts = scope.split(separator: ":")
    let repository = parts.count >= 2 ? String(parts[1]) : ""
    let action = scope.hasSuffix("push") ? "push" : "pull"
    let errors = RegistryErrorDetail.decode(response.body)
    return .denied(
      registry: registry, repository: repository, action: action,
      detail: errors.map(\.description).joined(separator: "; "))
  }

  /// The error for a response an operation did not expect: `denied` for 403 (and the `DENIED`
  /// code), otherwise the status and the registry's decoded errors.
  func unexpected(
    _ response: HTTPResponse, operation: String, repository: String = "", action: String = "push"
  ) -> RegistryError {
    let errors = RegistryErrorDetail.decode(response.body)
    if response.status == 403 || errors.contains(where: { $0.code == "DENIED" }) {
      return .denied(
        registry: registry, repository: repository, action: action,
        detail: errors.map(\.description).joined(separator: "; "))
    }
    // A body that is not the API's error list (a proxy's page, a plain message) is shown as is.
    let text = String(decoding: response.body.prefix(300), as: UTF8.self)
    let excerpt =
      errors.isEmpty ? text.split(whereSeparator: \.isNewline).joined(separator: " ") : ""
    return .unexpectedResponse(
      operation: operation, url: response.url.absoluteString, status: response.status,
      errors: errors, bodyExcerpt: excerpt)
  }

  /// The `Location` of an upload response, resolved against the URL that answered (it may be
  /// relative).
  func location(of response: HTTPResponse, operation: String) throws(RegistryError) -> URL {
    guard let header = response.headers["Location"],
      let location = URL(string: header, relativeTo: response.url)?.absoluteURL
    else { throw .missingLocation(operation: operation, url: response.url.absoluteString) }
    return location
  }

  /// The push scope of `repository`, as the token service expects it.
  static func pushScope(_ repository: String) -> String { "repository:\(repository):pull,push" }
  /// The pull scope of `repository`.
  static func pullScope(_ repository: String) -> String { "repository:\(repository):pull" }
}
